package io.chatmsg.bench;

import java.math.BigDecimal;
import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.HdrHistogram.Histogram;

import static io.chatmsg.bench.Report.decimal;
import static io.chatmsg.bench.Report.millis;

/** The JSON line of the {@code writepath} scenario (docs/performance.md, case e). */
record WritePathReport(
        String scenario,
        int producers,
        int window,
        @JsonProperty("duration_s") BigDecimal durationS,
        long acknowledged,
        @JsonProperty("messages_per_s") BigDecimal messagesPerS,
        long commits,
        long failed,
        @JsonProperty("latency_ms") Latency latencyMs,
        @JsonProperty("cpu_pct") BigDecimal cpuPct) {

    /** Append to commit, in milliseconds. */
    record Latency(BigDecimal p50, BigDecimal p99, @JsonProperty("p99.9") BigDecimal p999, BigDecimal max) {

        static Latency of(Histogram micros) {
            return new Latency(
                    millis(micros.getValueAtPercentile(50)),
                    millis(micros.getValueAtPercentile(99)),
                    millis(micros.getValueAtPercentile(99.9)),
                    millis(micros.getMaxValue()));
        }
    }

    static WritePathReport of(
            int producers,
            int window,
            Duration duration,
            WritePathBenchmark.Result r,
            double cpuSeconds,
            double wallSeconds) {
        return new WritePathReport(
                "writepath",
                producers,
                window,
                decimal(duration.toNanos() / 1e9),
                r.acknowledged(),
                decimal(r.perSecond()),
                r.commits(),
                r.failed(),
                Latency.of(r.latencyMicros()),
                decimal(100 * cpuSeconds / wallSeconds));
    }
}
