package io.chatmsg.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.chatmsg.bench.BenchSettings.Proto;
import io.chatmsg.bench.BenchSettings.Scenario;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IRC side of the engine against a tiny relay on real sockets: no
 * acknowledgements, so a message leaves the window when delivered (in
 * fan-out: when every other member has it), and the numbers still add up.
 */
class IrcRunTests {

    @Test
    void directMessagesAreAllDeliveredAndFreeTheWindowOnDelivery() throws Exception {
        Map<String, Object> r = run(Scenario.dm, 6);

        assertThat(r.get("fatal")).isNull();
        assertThat(r.get("logged_in")).isEqualTo(6);
        assertThat(r.get("acked")).isNull();
        assertThat(r.get("ack_latency_ms")).isNull();
        // More than the six windows of 4: deliveries freed them.
        assertThat(((Number) r.get("sent")).longValue()).isGreaterThan(6 * 4);
        assertThat(r.get("expected")).isEqualTo(r.get("sent"));
        assertThat(r.get("delivered")).isEqualTo(r.get("expected"));
        assertThat(r.get("lost")).isEqualTo(0);
        assertThat(r.get("duplicates")).isEqualTo(0);
        assertThat(r.get("misrouted")).isEqualTo(0);
        assertThat(r.get("errors")).isEqualTo(0);
    }

    @Test
    void fanOutJoinsTheChannelAndExpectsEveryOtherMember() throws Exception {
        Map<String, Object> r = run(Scenario.fanout, 5);

        assertThat(r.get("fatal")).isNull();
        assertThat(r.get("logged_in")).isEqualTo(5);
        long sent = ((Number) r.get("sent")).longValue();
        // More than the one sender's window of 4: a message reaching all four others freed its place.
        assertThat(sent).isGreaterThan(4);
        assertThat(((Number) r.get("expected")).longValue()).isEqualTo(4 * sent);
        assertThat(r.get("delivered")).isEqualTo(r.get("expected"));
        assertThat(r.get("duplicates")).isEqualTo(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(Scenario scenario, int clients) throws Exception {
        try (TinyIrcServer server = new TinyIrcServer()) {
            BenchSettings s = new BenchSettings(
                    server.port(),
                    Proto.irc,
                    scenario,
                    clients,
                    0,
                    4,
                    Duration.ofMillis(500),
                    Duration.ofMillis(100),
                    64,
                    10,
                    "");
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            int code = LoadGenerator.run(
                    s, InetAddress.getLoopbackAddress(), new PrintStream(out, true, StandardCharsets.UTF_8));

            String line = out.toString(StandardCharsets.UTF_8).strip();
            assertThat(code).as(line).isZero();
            assertThat(line.lines().count()).isEqualTo(1);
            return JsonMapper.builder().build().readValue(line, Map.class);
        }
    }
}
