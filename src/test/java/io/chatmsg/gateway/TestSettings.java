package io.chatmsg.gateway;

import java.time.Duration;
import java.time.Instant;

import io.chatmsg.session.LatencyProperties;
import io.chatmsg.session.LiveSession;

/** Gateway settings for handler unit tests: the defaults, with the durations a test names; a session to count into. */
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

    /** A session of its own for one test connection (counters and capture, no database row). */
    static LiveSession session() {
        return LiveSession.elsewhere(
                "test",
                1,
                "127.0.0.1:1",
                "tcp",
                Instant.EPOCH,
                null,
                new long[6],
                -1,
                new LatencyProperties(
                        Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(10)));
    }
}
