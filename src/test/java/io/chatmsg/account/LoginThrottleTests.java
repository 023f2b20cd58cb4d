package io.chatmsg.account;

import java.time.Duration;

import io.chatmsg.support.MutableClock;
import io.chatmsg.support.TestLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The failed-login throttle with the default limits, on a clock the test moves. */
class LoginThrottleTests {

    private static final String ADDRESS = "203.0.113.7";

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(clock, TestLimits.of(), event -> {});

    @Test
    void aSuccessOfYourOwnIdDoesNotClearTheFailuresAgainstOtherIds() {
        for (int i = 0; i < 4; i++) {
            throttle.failed(ADDRESS, "victim" + i);
        }
        throttle.succeeded(ADDRESS, "mine");
        assertThat(throttle.blocked(ADDRESS, "victim9")).isNull();

        throttle.failed(ADDRESS, "victim4");

        assertThat(throttle.blocked(ADDRESS, "victim9")).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.blocked(ADDRESS, "mine")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aSuccessClearsItsOwnIdsCount() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("198.51.100." + i, "alice");
        }
        throttle.succeeded("198.51.100.9", "alice");
        throttle.failed("198.51.100.5", "alice");

        assertThat(throttle.blocked("198.51.100.6", "alice")).isNull();
    }

    @Test
    void anAddresssFailuresDecayOneForEachQuietMinute() {
        for (int i = 0; i < 4; i++) {
            throttle.failed(ADDRESS, "victim" + i);
        }
        clock.advance(Duration.ofMinutes(2));
        throttle.failed(ADDRESS, "victim4"); // 4 - 2 + 1 = 3
        throttle.failed(ADDRESS, "victim5"); // 4
        assertThat(throttle.blocked(ADDRESS, "victim9")).isNull();

        throttle.failed(ADDRESS, "victim6"); // 5

        assertThat(throttle.blocked(ADDRESS, "victim9")).isNotNull();
    }

    @Test
    void guessingBetweenLoginsToYourOwnIdGetsAboutTenChecksAMinuteNotSixHundred() {
        // The attack as reported: 4 wrong guesses at other ids, then the right password for
        // one's own id, then LOGOFF, as fast as the server answers (a check every ~100 ms).
        int checks = 0;
        int victims = 0;
        for (int attempt = 0; attempt < 600; attempt++) {
            boolean own = attempt % 5 == 4;
            String id = own ? "mine" : "victim" + victims++;
            if (throttle.blocked(ADDRESS, id) == null) {
                checks++;
                if (own) {
                    throttle.succeeded(ADDRESS, id);
                } else {
                    throttle.failed(ADDRESS, id);
                }
            }
            clock.advance(Duration.ofMillis(100));
        }
        System.out.println("password checks in one simulated minute of the trick: " + checks);
        assertThat(checks).isLessThanOrEqualTo(12);
    }
}
