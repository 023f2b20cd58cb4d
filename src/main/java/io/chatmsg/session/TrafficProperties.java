package io.chatmsg.session;

import java.time.Duration;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code chat.traffic.*}: the per-client traffic history.
 *
 * @param flushInterval how often live counters reach the database (a crash loses at most this much)
 * @param retention     how long per-minute buckets are kept
 */
@Validated
@ConfigurationProperties("chat.traffic")
public record TrafficProperties(
        @DefaultValue("5s") @NotNull Duration flushInterval, @DefaultValue("7d") @NotNull Duration retention) {}
