package io.chatmsg.cli;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.JarLikeCommand;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code monitor HOST PORT}: the UDP latency probe, run as a user runs it. */
class MonitorIntegrationTests extends GatewayIntegrationTest {

    @Test
    void printsALinePerProbeAgainstALiveGateway() throws Exception {
        Result r =
                run("monitor", "127.0.0.1", String.valueOf(gateway.udpPort()), "--interval", "200ms", "--count", "3");
        assertThat(r.exit).isZero();
        // Answered: a state and a round trip (on a loaded CI machine it may even be "slow").
        assertThat(r.lines)
                .hasSize(3)
                .allMatch(l -> l.matches("(normal|slow|very slow) \\d+\\.\\d ms"), "STATE N.N ms");
    }

    @Test
    void printsInactiveWhenNothingAnswers() throws Exception {
        int silent;
        // A bound socket that never answers: probes go unanswered.
        try (DatagramSocket mute = new DatagramSocket(0)) {
            silent = mute.getLocalPort();
            Result r = run(
                    "monitor",
                    "127.0.0.1",
                    String.valueOf(silent),
                    "--interval",
                    "300ms",
                    "--timeout",
                    "200ms",
                    "--count",
                    "2");
            assertThat(r.lines).containsExactly("inactive", "inactive");
            assertThat(r.exit).isEqualTo(1);
        }
    }

    @Test
    void refusesNonsenseWithAOneLineReason() throws Exception {
        Result r = run("monitor", "127.0.0.1", "70000");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.lines).containsExactly("monitor: port must be from 1 to 65535, not 70000");
        Result bad = run("monitor", "127.0.0.1", "12345", "--interval", "soon");
        assertThat(bad.exit).isEqualTo(2);
        assertThat(String.join("\n", bad.lines)).contains("'soon' is not a duration");
    }

    @Test
    void namesRoundTripsByTheThresholds() {
        Monitor m = new Monitor();
        m.slow = Duration.ofMillis(100);
        m.verySlow = Duration.ofMillis(300);
        assertThat(m.describe(8.04)).isEqualTo("normal 8.0 ms");
        assertThat(m.describe(100.0)).isEqualTo("slow 100.0 ms");
        assertThat(m.describe(299.9)).isEqualTo("slow 299.9 ms");
        assertThat(m.describe(300.0)).isEqualTo("very slow 300.0 ms");
        assertThat(m.describe(null)).isEqualTo("inactive");
        assertThat(new Monitor.DurationConverter().convert("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(new Monitor.DurationConverter().convert("PT0.5S")).isEqualTo(Duration.ofMillis(500));
    }

    private record Result(int exit, List<String> lines) {}

    private static Result run(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(JarLikeCommand.of(args))
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        return new Result(p.exitValue(), lines);
    }
}
