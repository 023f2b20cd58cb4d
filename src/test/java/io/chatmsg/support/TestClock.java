package io.chatmsg.support;

import java.time.Instant;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * For end-to-end tests where time is the subject (back-offs, ban expiry):
 * {@code @Import(TestClock.class)} makes the application's {@code Clock} one the
 * test moves by hand ({@code @Autowired MutableClock clock; clock.advance(...)}),
 * instead of sleeping on the real one. It starts at the real time and stands still.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestClock {

    @Bean
    @Primary
    public MutableClock mutableClock() {
        return new MutableClock(Instant.now());
    }
}
