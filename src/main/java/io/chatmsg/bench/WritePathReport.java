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
        String store,
        int producers,
        int window,
        @JsonProperty("duration_s") BigDecimal durationS,
        long acknowledged,
        @JsonProperty("messages_per_s") BigDecimal messagesPerS,
        long commits,
        long failed,
        @JsonProperty("latency_ms") Latency latencyMs,
        @JsonProperty("cpu_pct") BigDecimal cpuPct,
        Writer writer) {

    /**
     * Where the writer's time went, warm-up included: operations per commit, milliseconds per
     * transaction (statements and commit), the share of the time inside one, its thread's CPU,
     * and on PostgreSQL WAL syncs per commit and WAL bytes per operation (null on H2).
     */
    record Writer(
            @JsonProperty("ops_per_commit") BigDecimal opsPerCommit,
            @JsonProperty("transaction_ms") BigDecimal transactionMs,
            @JsonProperty("busy_pct") BigDecimal busyPct,
            @JsonProperty("cpu_pct") BigDecimal cpuPct,
            @JsonProperty("wal_syncs_per_commit") BigDecimal walSyncsPerCommit,
            @JsonProperty("wal_bytes_per_op") BigDecimal walBytesPerOp) {

        static Writer of(WritePathBenchmark.Costs c) {
            double commits = Math.max(1, c.commits());
            return new Writer(
                    decimal(c.operations() / commits),
                    decimal(c.transactionNanos() / 1e6 / commits),
                    decimal(100.0 * c.transactionNanos() / c.wallNanos()),
                    decimal(100.0 * c.writerCpuNanos() / c.wallNanos()),
                    c.walSyncs() < 0 ? null : decimal(c.walSyncs() / commits),
                    c.walBytes() < 0 ? null : decimal(c.walBytes() / (double) Math.max(1, c.operations())));
        }
    }

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
            WritePathBenchmark.Costs costs,
            double cpuSeconds,
            double wallSeconds) {
        return new WritePathReport(
                "writepath",
                costs.store(),
                producers,
                window,
                decimal(duration.toNanos() / 1e9),
                r.acknowledged(),
                decimal(r.perSecond()),
                r.commits(),
                r.failed(),
                Latency.of(r.latencyMicros()),
                decimal(100 * cpuSeconds / wallSeconds),
                Writer.of(costs));
    }
}
