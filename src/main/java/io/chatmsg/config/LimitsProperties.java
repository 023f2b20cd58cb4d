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
 * @param maxLineLength   longest command line, terminator included (docs/protocol.md, Lines)
 * @param idleTimeout     silence after which the server sends {@code PING}
 * @param pingTimeout     time allowed for the answer before {@code BYE ping timeout}
 * @param maxPendingReplies replies a connection may have waiting on the database before
 *                        the server stops reading from it (backpressure, not an error)
 * @param loginFailures   failed password checks from one address before its password LOGINs get 429
 * @param loginBackoff    the first wait after that; it doubles with each further failure
 * @param loginBackoffMax the longest wait
 * @param loginFailureDecay a count of failures shrinks by one for each such quiet interval (a successful
 *                        LOGIN clears only its id's count, never the address's)
 * @param registerBurst   REGISTERs (those that get as far as hashing a password) one address may make
 *                        at once; then one more per {@code registerInterval} (loopback exempt with
 *                        {@code exemptLoopback})
 * @param registerBurstPerConnection the same allowance for one connection, loopback included
 * @param registerInterval how long it takes to earn one more REGISTER, per address and per connection
 * @param registerQueue   REGISTERs waiting for a hashing thread, server-wide (REGISTER may use only
 *                        half the hashing threads, so password LOGINs always have room); beyond: 503
 * @param maxPendingHashesPerAddress password hashes and checks one address may have queued or running;
 *                        beyond: 429 (loopback exempt with {@code exemptLoopback})
 * @param commandBurst    commands a connection may send at once before 429s start
 * @param commandRate     commands per second a connection may sustain
 * @param floodThreshold  429s within ten seconds after which the connection is closed with BYE flood
 * @param lineDeadline    time to finish a line once its first byte has arrived (slowloris)
 * @param loginDeadline   time a connection may stay without ever logging in
 * @param slowConsumerBacklog unsent bytes above which a client counts as not reading
 * @param slowConsumerGrace   how long it may stay above before it is closed ("slow consumer");
 *                            four times the backlog closes it at once
 * @param maxConnections  open connections in total; more are refused with BYE
 * @param maxConnectionsPerAddress open connections from one address
 * @param exemptLoopback  loopback addresses (all of 127.0.0.0/8, and ::1) are not held to the per-address
 *                        limits: connections, REGISTERs, pending hashes, flapping
 * @param flapLimit       short connections from one address (closed within {@code flapShortConnection}
 *                        of opening), or LOGINs of one id, within a minute before it counts as flapping
 *                        and is banned for {@code flapBan}
 * @param flapShortConnection a connection closed sooner than this after it opened counts toward flapping
 * @param flapBan         how long a flapping address or id stays banned
 * @param maxFileSize     largest PUT; a larger one is read, discarded and answered 413
 * @param fileQuota       bytes of stored files one sender may have at a time (413 beyond), counted
 *                        per id and per address (loopback exempt with {@code exemptLoopback})
 * @param maxFileStorage  bytes of stored files in all, every sender together, uploads under way
 *                        included ({@code 413 server file storage full} beyond)
 * @param maxKnownIds     ids the server remembers (every id that ever logged in, about 100 bytes
 *                        of heap each); beyond it a LOGIN of a new id gets 503
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
        @DefaultValue("15m") @NotNull Duration loginBackoffMax,
        @DefaultValue("1m") @NotNull Duration loginFailureDecay,
        @DefaultValue("5") @Min(1) int registerBurst,
        @DefaultValue("10") @Min(1) int registerBurstPerConnection,
        @DefaultValue("20s") @NotNull Duration registerInterval,
        @DefaultValue("64") @Min(1) @Max(100_000) int registerQueue,
        @DefaultValue("16") @Min(1) int maxPendingHashesPerAddress,
        @DefaultValue("1000") @Min(500) int commandBurst,
        @DefaultValue("500") @Min(100) int commandRate,
        @DefaultValue("1000") @Min(1) int floodThreshold,
        @DefaultValue("30s") @NotNull Duration lineDeadline,
        @DefaultValue("5m") @NotNull Duration loginDeadline,
        @DefaultValue("1MB") @NotNull DataSize slowConsumerBacklog,
        @DefaultValue("15s") @NotNull Duration slowConsumerGrace,
        @DefaultValue("50000") @Min(1) int maxConnections,
        @DefaultValue("100") @Min(1) int maxConnectionsPerAddress,
        @DefaultValue("true") boolean exemptLoopback,
        @DefaultValue("60") @Min(2) int flapLimit,
        @DefaultValue("5m") @NotNull Duration flapBan,
        @DefaultValue("10s") @NotNull Duration flapShortConnection,
        @DefaultValue("1GB") @NotNull DataSize maxFileSize,
        @DefaultValue("2GB") @NotNull DataSize fileQuota,
        @DefaultValue("10GB") @NotNull DataSize maxFileStorage,
        @DefaultValue("1000000") @Min(1) int maxKnownIds) {

    public LimitsProperties {
        long bytes = maxLineLength.toBytes();
        if (bytes < 64 || bytes > 1_000_000) {
            throw new IllegalArgumentException(
                    "chat.limits.max-line-length must be between 64B and 1000000B, not " + maxLineLength);
        }
        if (notPositive(loginFailureDecay) || notPositive(registerInterval)) {
            throw new IllegalArgumentException(
                    "chat.limits.login-failure-decay and chat.limits.register-interval must be positive");
        }
    }

    private static boolean notPositive(Duration d) {
        return d.isNegative() || d.isZero();
    }
}
