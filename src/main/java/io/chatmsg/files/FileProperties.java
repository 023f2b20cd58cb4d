package io.chatmsg.files;

import java.time.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code chat.files.*}: stored files. Size limits are with the other limits
 * ({@code chat.limits.max-file-size}, {@code chat.limits.file-quota}).
 *
 * @param dir             where the files' bytes are kept; empty: {@code <data-dir>/files}. In cluster mode
 *                        a directory every node mounts (docs/cluster.md), so any node serves any file
 * @param retention       how long a file is kept after it was sent; 0 keeps files until an operator deletes them
 * @param ioThreads       threads that write uploads to disk and read downloads from it (never the event loops)
 * @param ioQueueCapacity disk reads and writes that may wait for those threads; each upload and each
 *                        download has at most one waiting, so it is only reached with that many transfers
 *                        under way and the disk stalled
 * @param dbQueueCapacity operations on the {@code files} table that may wait for their thread; beyond it
 *                        the operation fails as if the database had (a PUT or GET gets 503)
 */
@Validated
@ConfigurationProperties("chat.files")
public record FileProperties(
        @DefaultValue("") @NotNull String dir,
        @DefaultValue("30d") @NotNull Duration retention,
        @DefaultValue("2") @Min(1) @Max(64) int ioThreads,
        @DefaultValue("100000") @Min(16) @Max(10_000_000) int ioQueueCapacity,
        @DefaultValue("100000") @Min(16) @Max(10_000_000) int dbQueueCapacity) {}
