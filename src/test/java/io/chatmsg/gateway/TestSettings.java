package io.chatmsg.gateway;

import java.time.Duration;

/** Gateway settings for handler unit tests: the defaults, with the durations a test names. */
final class TestSettings {

    private TestSettings() {}

    static GatewaySettings with(Duration loginDeadline, Duration slowConsumerGrace) {
        return new GatewaySettings(
                "test",
                4096,
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                1024,
                50,
                1, // one command a second: a test's burst never earns a token back in time
                20,
                Duration.ofSeconds(30),
                loginDeadline,
                1 << 20,
                slowConsumerGrace,
                Duration.ZERO,
                Duration.ofSeconds(30));
    }
}
