package io.chatmsg.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.chatmsg.bench.BenchSettings.Proto;
import io.chatmsg.bench.BenchSettings.Scenario;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON line, byte for byte: bench/run.sh splices it and bench/table.py
 * reads its keys, so the keys, their order, nulls and the three decimals of
 * times and rates are part of the interface (docs/performance.md).
 */
class ReportTests {

    private static BenchSettings settings(Proto proto, Scenario scenario) {
        return new BenchSettings(
                12345, proto, scenario, 1000, 0, 8, Duration.ofSeconds(20), Duration.ofSeconds(5), 64, 500, "b1x");
    }

    private static Gateways loopback() {
        return Gateways.parse("127.0.0.1:12345");
    }

    private static Counters measured() {
        Counters c = new Counters();
        c.loggedIn = 1000;
        c.loginMillis = 3087.5741;
        c.sent = 358152;
        c.sentInWindow = 290000;
        c.acked = 358150;
        c.ackedInWindow = 289999;
        c.expected = 358150;
        c.delivered = 358149;
        c.deliveredInWindow = 289996;
        c.duplicates = 2;
        c.misrouted = 3;
        c.windowFull = 4;
        c.errors = 5;
        for (int v = 100; v <= 1000; v += 100) {
            c.latency.recordValue(v);
        }
        c.ackLatency.recordValue(1500);
        return c;
    }

    @Test
    void aChatMsgRunHasEveryKeyInTheDocumentedOrderWithThreeDecimals() {
        String line =
                Report.line(TrafficReport.of(settings(Proto.chatmsg, Scenario.dm), loopback(), measured(), 3.5, 28.0));

        assertThat(line)
                .isEqualTo("{\"proto\":\"chatmsg\",\"scenario\":\"dm\",\"host\":\"127.0.0.1\",\"port\":12345,"
                        + "\"clients\":1000,\"logged_in\":1000,\"login_ms\":3087.574,\"rate\":0,\"window\":8,"
                        + "\"duration_s\":20.000,\"warmup_s\":5.000,\"sent\":358152,\"acked\":358150,"
                        + "\"delivered\":358149,\"expected\":358150,\"lost\":1,\"duplicates\":2,\"misrouted\":3,"
                        + "\"window_full\":4,\"messages_per_s\":14499.950,\"deliveries_per_s\":14499.800,"
                        + "\"latency_ms\":{\"p50\":0.500,\"p90\":0.900,\"p99\":1.000,\"p99.9\":1.000,"
                        + "\"max\":1.000,\"count\":10},"
                        + "\"ack_latency_ms\":{\"p50\":1.500,\"p90\":1.500,\"p99\":1.500,\"p99.9\":1.500,"
                        + "\"max\":1.500,\"count\":1},"
                        + "\"errors\":5,\"generator_cpu_s\":3.500,\"generator_cpu_pct\":12.500,\"fatal\":null}");
    }

    @Test
    void anIrcRunHasNoAcknowledgementsAndCountsSentMessages() {
        Counters c = measured();
        c.fatal = "client 7 refused: :irc.local 433 * \"b1x7\" \\ in use";

        Map<String, Object> r = parse(TrafficReport.of(settings(Proto.irc, Scenario.fanout), loopback(), c, 1, 2));

        assertThat(r).containsEntry("acked", null).containsEntry("ack_latency_ms", null);
        assertThat(r.get("messages_per_s")).hasToString("14500.0");
        assertThat(r.get("fatal")).isEqualTo(c.fatal);
        assertThat(List.copyOf(r.keySet()))
                .containsExactly(
                        "proto",
                        "scenario",
                        "host",
                        "port",
                        "clients",
                        "logged_in",
                        "login_ms",
                        "rate",
                        "window",
                        "duration_s",
                        "warmup_s",
                        "sent",
                        "acked",
                        "delivered",
                        "expected",
                        "lost",
                        "duplicates",
                        "misrouted",
                        "window_full",
                        "messages_per_s",
                        "deliveries_per_s",
                        "latency_ms",
                        "ack_latency_ms",
                        "errors",
                        "generator_cpu_s",
                        "generator_cpu_pct",
                        "fatal");
    }

    @Test
    void directMessagesOverTwoGatewaysListThemAndCountTheCrossingsWhereTheOneGatewayLineHasNone() {
        Counters c = measured();
        c.crossNode = 179076;

        String line = Report.line(TrafficReport.of(
                settings(Proto.chatmsg, Scenario.dm), Gateways.parse("127.0.0.1:12401,127.0.0.1:12402"), c, 3.5, 28.0));

        String one = Report.line(TrafficReport.of(settings(Proto.chatmsg, Scenario.dm), loopback(), c, 3.5, 28.0));
        assertThat(line)
                .startsWith("{\"proto\":\"chatmsg\",\"scenario\":\"dm\",\"host\":\"127.0.0.1\",\"port\":12401,"
                        + "\"hosts\":[\"127.0.0.1:12401\",\"127.0.0.1:12402\"],\"clients\":1000,")
                .contains("\"window_full\":4,\"cross_node\":179076,\"cross_node_share\":0.500,\"messages_per_s\":");
        assertThat(one).doesNotContain("hosts").doesNotContain("cross_node");
        // Everything else is the one-gateway line's.
        assertThat(line.replace("\"hosts\":[\"127.0.0.1:12401\",\"127.0.0.1:12402\"],", "")
                        .replace("\"cross_node\":179076,\"cross_node_share\":0.500,", "")
                        .replace("12401", "12345"))
                .isEqualTo(one);
    }

    @Test
    void fanOutOverTwoGatewaysListsThemButCountsNoCrossings() {
        Map<String, Object> r = parse(TrafficReport.of(
                settings(Proto.chatmsg, Scenario.fanout), Gateways.parse("127.0.0.1:1,[::1]:2"), measured(), 1, 2));

        assertThat(r.get("hosts")).isEqualTo(List.of("127.0.0.1:1", "[0:0:0:0:0:0:0:1]:2"));
        assertThat(r).doesNotContainKeys("cross_node", "cross_node_share");
    }

    @Test
    void connectReportsZeroRatesAsPlainZeroAndNoLatency() {
        Counters c = new Counters();
        c.loggedIn = 200;
        c.loginMillis = 12.0;

        String line = Report.line(
                TrafficReport.of(settings(Proto.chatmsg, Scenario.connect), Gateways.parse("[::1]:12345"), c, 0.25, 1));

        assertThat(line)
                .contains("\"host\":\"0:0:0:0:0:0:0:1\"")
                .contains("\"login_ms\":12.000")
                .contains("\"messages_per_s\":0,\"deliveries_per_s\":0,")
                .contains("\"latency_ms\":null,\"ack_latency_ms\":null,")
                .endsWith("\"generator_cpu_s\":0.250,\"generator_cpu_pct\":25.000,\"fatal\":null}");
    }

    @Test
    void decimalsRoundAsPercentFormatDoesAndNeverUseExponents() {
        for (double d : new double[] {0, 0.0005, 0.0015, 1.0005, 2.675, 1e-9, 268961.05, 1e12, -1}) {
            assertThat(Report.decimal(d).toPlainString()).isEqualTo(String.format(java.util.Locale.ROOT, "%.3f", d));
        }
        assertThat(Report.line(Map.of("v", Report.decimal(1e12)))).isEqualTo("{\"v\":1000000000000.000}");
        assertThat(Report.line(Map.of("v", Report.decimal(0)))).isEqualTo("{\"v\":0.000}");
        assertThat(Report.decimal(Double.NaN)).isNull();
    }

    @Test
    void theWritePathLineHasItsOwnKeys() {
        Histogram micros = new Histogram(3);
        micros.recordValue(1200);
        micros.recordValue(1800);
        var result = new WritePathBenchmark.Result(1600183, 80009.15, micros, 1643, 0);

        var costs = new WritePathBenchmark.Costs(
                "postgresql", 25_000_000_000L, 2000, 2_000_000, 20_000_000_000L, 5_000_000_000L, 2000, 300_000_000);

        String line = Report.line(WritePathReport.of(8, 256, Duration.ofSeconds(20), result, costs, 26.5, 20));

        assertThat(line)
                .isEqualTo(
                        "{\"scenario\":\"writepath\",\"store\":\"postgresql\",\"producers\":8,\"window\":256,\"duration_s\":20.000,"
                                + "\"acknowledged\":1600183,\"messages_per_s\":80009.150,\"commits\":1643,\"failed\":0,"
                                + "\"latency_ms\":{\"p50\":1.200,\"p99\":1.800,\"p99.9\":1.800,\"max\":1.800},"
                                + "\"cpu_pct\":132.500,\"writer\":{\"ops_per_commit\":1000.000,\"transaction_ms\":10.000,"
                                + "\"busy_pct\":80.000,\"cpu_pct\":20.000,\"wal_syncs_per_commit\":1.000,"
                                + "\"wal_bytes_per_op\":150.000}}");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(Object report) {
        return JsonMapper.builder().build().readValue(Report.line(report), Map.class);
    }
}
