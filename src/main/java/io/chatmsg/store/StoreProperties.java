package io.chatmsg.store;

import java.time.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code chat.store.*}: the group-commit writer.
 *
 * @param queueCapacity operations that may wait for the writer; beyond it, {@code MSG} gets {@code 503}
 * @param maxBatch      most operations committed together
 * @param startupWait   PostgreSQL only: how long the start waits for a database it cannot reach
 *                      yet (read by ops.DatabaseCheck before this record is bound; here so it is
 *                      validated and listed with the others)
 */
@Validated
@ConfigurationProperties("chat.store")
public record StoreProperties(
        @DefaultValue("65536") @Min(16) @Max(10_000_000) int queueCapacity,
        @DefaultValue("2048") @Min(1) @Max(100_000) int maxBatch,
        @DefaultValue("0s") Duration startupWait) {}
