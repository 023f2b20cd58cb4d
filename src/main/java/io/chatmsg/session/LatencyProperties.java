package io.chatmsg.session;

import java.time.Duration;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code chat.latency.*}: how the server measures each TCP/TLS client's round-trip
 * time with {@code PING}/{@code PONG}, and how it names what it measures.
 *
 * @param interval      time between probes of one client ({@code 0}: only the idle-time PING)
 * @param normalBelow   a round trip under this is "normal"
 * @param slowBelow     under this "slow", else "very slow"
 * @param inactiveAfter a probe unanswered this long makes the client "inactive"
 */
@Validated
@ConfigurationProperties("chat.latency")
public record LatencyProperties(
        @DefaultValue("60s") @NotNull Duration interval,
        @DefaultValue("100ms") @NotNull Duration normalBelow,
        @DefaultValue("300ms") @NotNull Duration slowBelow,
        @DefaultValue("10s") @NotNull Duration inactiveAfter) {

    public LatencyProperties {
        if (normalBelow.compareTo(slowBelow) > 0) {
            throw new IllegalArgumentException("chat.latency.normal-below must not be above chat.latency.slow-below");
        }
    }

    /** The state of a client (or of the gateway) from its last round trip. */
    public Latency classify(Double rttMillis, boolean unansweredTooLong) {
        if (unansweredTooLong) {
            return Latency.INACTIVE;
        }
        if (rttMillis == null) {
            return Latency.UNKNOWN;
        }
        if (rttMillis < normalBelow.toNanos() / 1e6) {
            return Latency.NORMAL;
        }
        return rttMillis < slowBelow.toNanos() / 1e6 ? Latency.SLOW : Latency.VERY_SLOW;
    }
}
