package io.chatmsg.ops;

import java.time.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** {@code chat.backup.*} and {@code chat.retention.*}: keeping the data safe, and not forever. */
@Validated
@ConfigurationProperties("chat")
public record OpsProperties(@DefaultValue @Valid Backup backup, @DefaultValue @Valid Retention retention) {

    /**
     * @param dir      where backups go; empty: {@code <data-dir>/backups}
     * @param interval time between scheduled backups; {@code 0} switches them off
     * @param keep     how many backup files to keep (oldest deleted first)
     * @param pgDump   on PostgreSQL: the pg_dump program (a name looked up on the PATH, or a path)
     * @param timeout  on PostgreSQL: how long one pg_dump may run before it is stopped
     */
    public record Backup(
            @DefaultValue("") String dir,
            @DefaultValue("24h") @NotNull Duration interval,
            @DefaultValue("7") @Min(1) int keep,
            @DefaultValue("pg_dump") @NotBlank String pgDump,
            @DefaultValue("1h") @NotNull Duration timeout) {}

    /**
     * @param messages delivered messages older than this are deleted ({@code 0}: keep forever);
     *                 messages still waiting for an offline client are always kept
     * @param sessions closed sessions older than this are deleted ({@code 0}: keep forever)
     */
    public record Retention(
            @DefaultValue("0") @NotNull Duration messages, @DefaultValue("0") @NotNull Duration sessions) {}
}
