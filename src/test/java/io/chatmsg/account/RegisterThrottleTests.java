package io.chatmsg.account;

import java.time.Duration;

import io.chatmsg.support.MutableClock;
import io.chatmsg.support.TestLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** REGISTER allowances per address and per connection, on a clock the test moves. */
class RegisterThrottleTests {

    private final MutableClock clock = new MutableClock();
    private final RegisterThrottle throttle = new RegisterThrottle(clock, TestLimits.of());

    @Test
    void anAddressMayRegisterFiveAtOnceThenOneEveryTwentySeconds() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.refused("203.0.113.7", throttle.forConnection()))
                    .isNull();
        }
        assertThat(throttle.refused("203.0.113.7", throttle.forConnection()))
                .isEqualTo("too many REGISTERs from your address; try again in 20 s");
        assertThat(throttle.refused("203.0.113.8", throttle.forConnection())).isNull();

        clock.advance(Duration.ofSeconds(20));

        assertThat(throttle.refused("203.0.113.7", throttle.forConnection())).isNull();
        assertThat(throttle.refused("203.0.113.7", throttle.forConnection())).startsWith("too many REGISTERs");
    }

    @Test
    void aConnectionMayRegisterTenAtOnceEvenFromLoopback() {
        TokenBucket connection = throttle.forConnection();
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.refused("127.0.0.1", connection)).isNull();
        }
        assertThat(throttle.refused("127.0.0.1", connection))
                .isEqualTo("too many REGISTERs on this connection; try again in 20 s");
        // Loopback itself is exempt (exempt-loopback): a new connection may go on.
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.refused("127.0.0.1", throttle.forConnection())).isNull();
        }
    }

    @Test
    void loopbackIsHeldToTheAddressLimitWithoutTheExemption() {
        RegisterThrottle strict = new RegisterThrottle(clock, TestLimits.of("exempt-loopback", "false"));
        for (int i = 0; i < 5; i++) {
            assertThat(strict.refused("127.0.0.2", strict.forConnection())).isNull();
        }
        assertThat(strict.refused("127.0.0.2", strict.forConnection())).startsWith("too many REGISTERs from your");
    }
}
