package io.chatmsg.bench;

import java.math.BigDecimal;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.HdrHistogram.Histogram;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON line a run prints (docs/performance.md; bench/run.sh and
 * bench/table.py read it): a report record written by Jackson, keys in the
 * order of the record's components, times and rates with three decimals.
 */
final class Report {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private Report() {}

    /** The report as one line of JSON. */
    static String line(Object report) {
        return JSON.writeValueAsString(report);
    }

    /** {@code d} with three decimals ({@code 20.000}), rounded as {@code %.3f} rounds; null when not finite. */
    static BigDecimal decimal(double d) {
        return Double.isFinite(d) ? new BigDecimal(String.format(Locale.ROOT, "%.3f", d)) : null;
    }

    static BigDecimal millis(long micros) {
        return decimal(micros / 1000.0);
    }

    /** A latency histogram (microseconds) in milliseconds. */
    record Percentiles(
            BigDecimal p50,
            BigDecimal p90,
            BigDecimal p99,
            @JsonProperty("p99.9") BigDecimal p999,
            BigDecimal max,
            long count) {

        /** Null for an empty histogram: no latency measured. */
        static Percentiles of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return null;
            }
            return new Percentiles(
                    millis(h.getValueAtPercentile(50)),
                    millis(h.getValueAtPercentile(90)),
                    millis(h.getValueAtPercentile(99)),
                    millis(h.getValueAtPercentile(99.9)),
                    millis(h.getMaxValue()),
                    h.getTotalCount());
        }
    }
}
