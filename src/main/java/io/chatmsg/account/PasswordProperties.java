package io.chatmsg.account;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code chat.passwords.*}: the pool that hashes and checks passwords (BCrypt,
 * slow on purpose). How much of it one address or REGISTER may take is in
 * {@code chat.limits.*} ({@code register-queue}, {@code max-pending-hashes-per-address}).
 *
 * @param threads       hashing threads; unset: half the processors, at least 2 (REGISTER may use half of them)
 * @param queueCapacity password checks and REGISTER hashes that may wait for a thread; beyond it: 503
 */
@Validated
@ConfigurationProperties("chat.passwords")
public record PasswordProperties(
        @Min(1) @Max(1024) Integer threads, @DefaultValue("1024") @Min(1) @Max(1_000_000) int queueCapacity) {

    /** {@code threads}, or its default for this machine. */
    public int threadCount() {
        return threads != null ? threads : Math.max(2, Runtime.getRuntime().availableProcessors() / 2);
    }
}
