package io.chatmsg.gateway;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import io.chatmsg.chat.Response;
import io.chatmsg.config.UdpProperties;
import io.chatmsg.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** The 428 VERIFY handshake's decisions, on a test clock. */
class ReturnRoutabilityTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final ReturnRoutability routability = new ReturnRoutability(
            new UdpProperties(true, null, DataSize.ofBytes(4096), Duration.ofSeconds(120), Duration.ofMinutes(10), 100),
            clock);
    private final InetSocketAddress alice = new InetSocketAddress("192.0.2.10", 40000);

    @Test
    void anUnprovedAddressIsChallengedWithOneShortReply() {
        assertThat(routability.proved(alice)).isFalse();

        Response challenge = routability.challenge(alice);

        assertThat(challenge.text()).matches("428 VERIFY [A-Za-z0-9_-]{16}\r\n");
        assertThat(challenge.text().getBytes(StandardCharsets.US_ASCII)).hasSize(29);
        assertThat(routability.proved(alice)).isFalse();
    }

    @Test
    void theCookieProvesTheAddressItWasSentToForTenMinutes() {
        String cookie = cookieOf(routability.challenge(alice));

        assertThat(routability
                        .verify(cookie, new InetSocketAddress("192.0.2.10", 40001))
                        .text())
                .isEqualTo("403 wrong or stale cookie\r\n");
        assertThat(routability.verify(cookie, alice).text()).isEqualTo("200 VERIFY\r\n");
        assertThat(routability.proved(alice)).isTrue();

        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(routability.proved(alice)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        routability.expire();
        assertThat(routability.proved(alice)).isFalse();
    }

    @Test
    void aStaleCookieIsRefused() {
        String cookie = cookieOf(routability.challenge(alice));

        clock.advance(Duration.ofMinutes(3));

        assertThat(routability.verify(cookie, alice).text()).isEqualTo("403 wrong or stale cookie\r\n");
        assertThat(routability.proved(alice)).isFalse();
    }

    @Test
    void anAddressStaysProvedForTenMinutesAfterItsSessionEnded() {
        routability.verify(cookieOf(routability.challenge(alice)), alice);
        clock.advance(Duration.ofHours(1));

        routability.sessionEnded(alice);
        clock.advance(Duration.ofMinutes(9));

        assertThat(routability.proved(alice)).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(routability.proved(alice)).isFalse();
    }

    private static String cookieOf(Response challenge) {
        return challenge.text().substring("428 VERIFY ".length()).strip();
    }
}
