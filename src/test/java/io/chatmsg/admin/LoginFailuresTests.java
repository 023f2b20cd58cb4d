package io.chatmsg.admin;

import java.time.Duration;
import java.time.Instant;

import io.chatmsg.support.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoginFailuresTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final LoginFailures failures = new LoginFailures(clock, 10, 40, Duration.ofMinutes(15));

    @Test
    void nameIsCountedWhateverItsCaseAndSurroundingBlanks() {
        String[] spellings = {"admin", "Admin", "ADMIN", " admin", "aDmIn "};
        for (int i = 0; i < 10; i++) {
            failures.failed(spellings[i % spellings.length], "198.51.100.1");
        }
        assertThat(failures.refuses("admin", "198.51.100.1")).isTrue();
        assertThat(failures.refuses("ADMIN", "198.51.100.1")).isTrue();
    }

    @Test
    void lockedNameStillLetsAnAddressThatHasNotFailedCheckItsPassword() {
        for (int i = 0; i < 10; i++) {
            failures.failed("admin", "198.51.100.1");
        }
        assertThat(failures.refuses("admin", "198.51.100.1")).isTrue();
        assertThat(failures.refuses("admin", "198.51.100.2")).isFalse();
        failures.failed("admin", "198.51.100.2");
        assertThat(failures.refuses("admin", "198.51.100.2")).isTrue();
    }

    @Test
    void addressAtItsLimitIsRefusedForEveryName() {
        for (int i = 0; i < 40; i++) {
            failures.failed("name" + i, "198.51.100.3");
        }
        assertThat(failures.refuses("someone-new", "198.51.100.3")).isTrue();
        assertThat(failures.refuses("someone-new", "198.51.100.4")).isFalse();
    }

    @Test
    void successForgetsTheAddressesFailuresButNotTheNames() {
        for (int i = 0; i < 10; i++) {
            failures.failed("admin", "198.51.100.5");
        }
        failures.failed("admin", "198.51.100.6");
        failures.succeeded("198.51.100.6");
        assertThat(failures.refuses("admin", "198.51.100.6")).isFalse();
        assertThat(failures.refuses("admin", "198.51.100.5")).isTrue();
    }

    @Test
    void lockoutEndsWhenTheWindowHasPassed() {
        for (int i = 0; i < 40; i++) {
            failures.failed("admin", "198.51.100.7");
        }
        clock.advance(Duration.ofMinutes(14));
        assertThat(failures.refuses("admin", "198.51.100.7")).isTrue();
        clock.advance(Duration.ofMinutes(1).plusMillis(1));
        assertThat(failures.refuses("admin", "198.51.100.7")).isFalse();
    }

    @Test
    void aFloodOfNamesIsBoundedAndKeepsTheRecentLockout() {
        for (int i = 0; i < 10; i++) {
            failures.failed("admin", "198.51.100.8");
        }
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 3 * LoginFailures.MAX_KEYS; i++) {
            clock.advance(Duration.ofMillis(1));
            failures.failed("flood" + i, i % 2 == 0 ? "203.0.113.1" : "203.0.113.2");
            if (i % 1000 == 0) {
                failures.failed("admin", "198.51.100.8"); // still guessing, so still recent
            }
        }
        assertThat(failures.keys()).isLessThanOrEqualTo(2 * LoginFailures.MAX_KEYS);
        assertThat(failures.refuses("admin", "198.51.100.8")).isTrue();
    }
}
