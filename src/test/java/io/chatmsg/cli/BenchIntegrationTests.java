package io.chatmsg.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator's smoke test: short runs of each scenario against the
 * test gateway, checking the JSON line adds up (no loss, no duplicates, every
 * acknowledged message delivered). The real runs are bench/run.sh, on demand.
 */
@TestPropertySource(properties = {"chat.limits.command-burst=1000000", "chat.limits.command-rate=1000000"})
class BenchIntegrationTests extends GatewayIntegrationTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void directMessagesAtFullSpeed() throws Exception {
        Map<String, Object> r =
                run("--scenario", "dm", "--clients", "20", "--window", "4", "--duration", "1s", "--warmup", "200ms");
        assertThat(r.get("fatal")).isNull();
        assertThat(r.get("logged_in")).isEqualTo(20);
        long sent = ((Number) r.get("sent")).longValue();
        assertThat(sent).isPositive();
        assertThat(r.get("acked")).isEqualTo(r.get("sent"));
        assertThat(r.get("delivered")).isEqualTo(r.get("expected"));
        assertThat(r.get("lost")).isEqualTo(0);
        assertThat(r.get("duplicates")).isEqualTo(0);
        assertThat(((Number) r.get("messages_per_s")).doubleValue()).isPositive();
        @SuppressWarnings("unchecked")
        Map<String, Object> latency = (Map<String, Object>) r.get("latency_ms");
        assertThat(((Number) latency.get("p99")).doubleValue())
                .isGreaterThanOrEqualTo(((Number) latency.get("p50")).doubleValue());
    }

    @Test
    void fixedRateAndFanOut() throws Exception {
        Map<String, Object> rate =
                run("--scenario", "dm", "--clients", "10", "--rate", "500", "--duration", "1s", "--warmup", "0s");
        assertThat(((Number) rate.get("messages_per_s")).doubleValue()).isBetween(350.0, 650.0);
        assertThat(rate.get("lost")).isEqualTo(0);
        Map<String, Object> fan =
                run("--scenario", "fanout", "--clients", "10", "--window", "4", "--duration", "1s", "--warmup", "0s");
        assertThat(fan.get("lost")).isEqualTo(0);
        // Nine recipients per message.
        assertThat(((Number) fan.get("expected")).longValue()).isEqualTo(9 * ((Number) fan.get("acked")).longValue());
    }

    @Test
    void hostsSpreadsTheClientsAndCountsWhatCrosses() throws Exception {
        // The test gateway twice: two "nodes" that share everything, so all must arrive.
        String self = "127.0.0.1:" + gateway.port();
        Bench b = new Bench();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = new CommandLine(b)
                .execute(
                        "--hosts",
                        self + "," + self,
                        "--scenario",
                        "dm",
                        "--clients",
                        "10",
                        "--rate",
                        "500",
                        "--duration",
                        "1s",
                        "--warmup",
                        "0s");
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(code).as(line).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> r = json.readValue(line, Map.class);
        assertThat(r.get("hosts")).isEqualTo(java.util.List.of(self, self));
        assertThat(r.get("lost")).isEqualTo(0);
        assertThat(r.get("duplicates")).isEqualTo(0);
        long sent = ((Number) r.get("sent")).longValue();
        assertThat(((Number) r.get("cross_node")).longValue()).isPositive().isLessThan(sent);
    }

    @Test
    void connectLogsEveryoneInAndHolds() throws Exception {
        Map<String, Object> r = run("--scenario", "connect", "--clients", "200", "--duration", "300ms");
        assertThat(r.get("logged_in")).isEqualTo(200);
        assertThat(((Number) r.get("login_ms")).doubleValue()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(ints = {40, 1000, 3000})
    void everyDocumentedPayloadSizeIsSentAndDelivered(int payload) throws Exception {
        Map<String, Object> r = run(
                "--scenario",
                "dm",
                "--clients",
                "4",
                "--window",
                "4",
                "--payload",
                String.valueOf(payload),
                "--duration",
                "300ms",
                "--warmup",
                "0s");
        assertThat(r.get("fatal")).isNull();
        assertThat(((Number) r.get("delivered")).longValue()).isPositive();
        assertThat(r.get("delivered")).isEqualTo(r.get("expected"));
        assertThat(r.get("acked")).isEqualTo(r.get("sent"));
        assertThat(r.get("errors")).isEqualTo(0);
    }

    @Test
    void refusesNonsenseWithAOneLineReason() {
        assertThat(refusal("--clients", "0")).isEqualTo("bench: --clients must be from 1 to 200000, not 0");
        assertThat(refusal("--scenario", "dm", "--clients", "1"))
                .isEqualTo("bench: --scenario dm needs at least 2 clients");
        assertThat(refusal("--window", "0")).isEqualTo("bench: --window must be from 1 to 100000");
        assertThat(refusal("--duration", "0s")).isEqualTo("bench: --duration must be above 0 and at most 24h");
        assertThat(refusal("--payload", "39")).isEqualTo("bench: --payload must be from 40 to 3000 bytes");
        assertThat(refusal("--payload", "3001")).isEqualTo("bench: --payload must be from 40 to 3000 bytes");
        assertThat(refusal("127.0.0.1", "0")).isEqualTo("bench: port must be from 1 to 65535, not 0");
        assertThat(refusal("127.0.0.1", "--hosts", "127.0.0.1:1,127.0.0.1:2"))
                .isEqualTo("bench: give either HOST PORT or --hosts, not both");
        assertThat(refusal("--hosts", "127.0.0.1:1", "--scenario", "writepath"))
                .isEqualTo("bench: --hosts is for --scenario dm, fanout or connect");
        assertThat(refusal("--hosts", "127.0.0.1:1,127.0.0.1"))
                .isEqualTo("bench: --hosts takes HOST:PORT,HOST:PORT,...; not '127.0.0.1'");
        assertThat(refusal("--hosts", "127.0.0.1:1,127.0.0.1:2", "--clients", "1"))
                .isEqualTo("bench: --scenario dm needs at least 2 clients");
    }

    private String refusal(String... args) {
        Bench b = new Bench();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        b.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = new CommandLine(b).execute(args);
        assertThat(code).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> run(String... args) throws Exception {
        Bench b = new Bench();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        String[] all = new String[args.length + 2];
        all[0] = "127.0.0.1";
        all[1] = String.valueOf(gateway.port());
        System.arraycopy(args, 0, all, 2, args.length);
        int code = new CommandLine(b).execute(all);
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(code).as(line).isZero();
        assertThat(line.lines().count()).isEqualTo(1);
        return json.readValue(line, Map.class);
    }
}
