package io.chatmsg.config;

import java.time.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code chat.limits.*}: what one connection may cost the server. Rate limits,
 * connection caps and slow-consumer cut-off join this record with the
 * security work; each gets a default here and a row in the README.
 *
 * @param maxLineLength   longest command line, terminator included (PROTOCOL.md section 1)
 * @param idleTimeout     silence after which the server sends {@code PING}
 * @param pingTimeout     time allowed for the answer before {@code BYE ping timeout}
 * @param maxPendingReplies replies a connection may have waiting on the database before
 *                        the server stops reading from it (backpressure, not an error)
 * @param loginFailures   failed password checks from one address before its password LOGINs get 429
 * @param loginBackoff    the first wait after that; it doubles with each further failure
 * @param loginBackoffMax the longest wait
 */
@Validated
@ConfigurationProperties("chat.limits")
public record LimitsProperties(
        @DefaultValue("4096B") @NotNull DataSize maxLineLength,
        @DefaultValue("60s") @NotNull Duration idleTimeout,
        @DefaultValue("30s") @NotNull Duration pingTimeout,
        @DefaultValue("1024") @Min(1) @Max(1_000_000) int maxPendingReplies,
        @DefaultValue("5") @Min(1) int loginFailures,
        @DefaultValue("1s") @NotNull Duration loginBackoff,
        @DefaultValue("15m") @NotNull Duration loginBackoffMax) {

    public LimitsProperties {
        long bytes = maxLineLength.toBytes();
        if (bytes < 64 || bytes > 1_000_000) {
            throw new IllegalArgumentException(
                    "chat.limits.max-line-length must be between 64B and 1000000B, not " + maxLineLength);
        }
    }
}
