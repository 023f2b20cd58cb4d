package io.chatmsg.bench;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.chatmsg.bench.Report.Percentiles;

import static io.chatmsg.bench.Report.decimal;

/**
 * The JSON line of the scenarios against a server (dm, fanout, connect); the
 * keys and their order are what docs/performance.md shows. {@code acked} and
 * {@code ack_latency_ms} are null for IRC (no acknowledgements); latencies are
 * null when nothing was measured. Spread over several gateways ({@code --hosts}),
 * {@code host} and {@code port} are the first one's, {@code hosts} lists them all,
 * and for {@code dm} {@code cross_node} counts the messages sent to a client on
 * another gateway ({@code cross_node_share} of {@code sent}); with one gateway these
 * three keys are left out, so that line stays as it was.
 */
record TrafficReport(
        String proto,
        String scenario,
        String host,
        int port,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> hosts,
        int clients,
        @JsonProperty("logged_in") int loggedIn,
        @JsonProperty("login_ms") BigDecimal loginMs,
        int rate,
        int window,
        @JsonProperty("duration_s") BigDecimal durationS,
        @JsonProperty("warmup_s") BigDecimal warmupS,
        long sent,
        Long acked,
        long delivered,
        long expected,
        long lost,
        long duplicates,
        long misrouted,
        @JsonProperty("window_full") long windowFull,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("cross_node") Long crossNode,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("cross_node_share") BigDecimal crossNodeShare,
        @JsonProperty("messages_per_s") BigDecimal messagesPerS,
        @JsonProperty("deliveries_per_s") BigDecimal deliveriesPerS,
        @JsonProperty("latency_ms") Percentiles latencyMs,
        @JsonProperty("ack_latency_ms") Percentiles ackLatencyMs,
        long errors,
        @JsonProperty("generator_cpu_s") BigDecimal generatorCpuS,
        @JsonProperty("generator_cpu_pct") BigDecimal generatorCpuPct,
        String fatal) {

    static TrafficReport of(BenchSettings s, Gateways g, Counters c, double cpuSeconds, double wallSeconds) {
        double seconds = s.duration().toNanos() / 1e9;
        boolean spread = g.size() > 1;
        boolean crossing = spread && s.scenario() == BenchSettings.Scenario.dm;
        boolean acks = s.proto() == BenchSettings.Proto.chatmsg;
        boolean traffic = s.scenario() != BenchSettings.Scenario.connect;
        long messagesInWindow = acks ? c.ackedInWindow : c.sentInWindow;
        return new TrafficReport(
                s.proto().name(),
                s.scenario().name(),
                g.addresses().get(0).getAddress().getHostAddress(),
                g.addresses().get(0).getPort(),
                spread ? g.names() : null,
                s.clients(),
                c.loggedIn,
                decimal(c.loginMillis),
                s.rate(),
                s.window(),
                decimal(seconds),
                decimal(s.warmup().toNanos() / 1e9),
                c.sent,
                acks ? c.acked : null,
                c.delivered,
                c.expected,
                c.lost(),
                c.duplicates,
                c.misrouted,
                c.windowFull,
                crossing ? c.crossNode : null,
                crossing ? decimal((double) c.crossNode / Math.max(1, c.sent)) : null,
                traffic ? decimal(messagesInWindow / seconds) : BigDecimal.ZERO,
                traffic ? decimal(c.deliveredInWindow / seconds) : BigDecimal.ZERO,
                Percentiles.of(c.latency),
                acks ? Percentiles.of(c.ackLatency) : null,
                c.errors,
                decimal(cpuSeconds),
                decimal(100 * cpuSeconds / Math.max(1e-9, wallSeconds)),
                c.fatal);
    }
}
