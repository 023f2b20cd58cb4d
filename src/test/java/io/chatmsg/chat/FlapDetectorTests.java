package io.chatmsg.chat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;

import io.chatmsg.account.Bans;
import io.chatmsg.support.MutableClock;
import io.chatmsg.support.TestLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/** Address flapping is counted in connect-and-drop cycles, with the default limits. */
class FlapDetectorTests {

    private final MutableClock clock = new MutableClock();
    private final Bans bans = mock(Bans.class);
    private final FlapDetector flapping = new FlapDetector(bans, clock, TestLimits.of(), event -> {});

    @Test
    void connectionsThatStayOpenNeverCountAsFlapping() throws Exception {
        InetAddress nat = InetAddress.getByName("203.0.113.7");
        Instant opened = clock.instant();
        clock.advance(Duration.ofSeconds(10));

        for (int i = 0; i < 200; i++) {
            assertThat(flapping.closed(nat, opened)).isFalse();
        }

        verify(bans, never()).banNow(anyString(), anyString(), anyString(), any(), anyString());
    }

    @Test
    void moreThanSixtyShortConnectionsInAMinuteAreBanned() throws Exception {
        InetAddress looper = InetAddress.getByName("203.0.113.8");
        for (int i = 0; i < 60; i++) {
            assertThat(flapping.closed(looper, clock.instant())).isFalse();
            clock.advance(Duration.ofMillis(500));
        }

        assertThat(flapping.closed(looper, clock.instant().minusSeconds(9))).isTrue();

        verify(bans)
                .banNow(
                        eq(Bans.ADDRESS),
                        eq("203.0.113.8"),
                        eq("reconnecting in a loop"),
                        eq(clock.instant().plus(Duration.ofMinutes(5))),
                        eq("flapping detector"));
    }

    @Test
    void shortConnectionsSpreadOverMoreThanAMinuteAreFine() throws Exception {
        InetAddress slow = InetAddress.getByName("203.0.113.9");
        for (int i = 0; i < 200; i++) {
            assertThat(flapping.closed(slow, clock.instant())).isFalse();
            clock.advance(Duration.ofMillis(1500));
        }
    }

    @Test
    void allOfLoopbackIsExemptByDefault() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.45.6.7");
        for (int i = 0; i < 100; i++) {
            assertThat(flapping.closed(loopback, clock.instant())).isFalse();
        }
    }
}
