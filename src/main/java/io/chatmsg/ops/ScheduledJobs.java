package io.chatmsg.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.chatmsg.store.GroupCommitWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Scheduled backups ({@code chat.backup.interval}; off, with one warning at
 * start, where the store has no backups of the gateway's) and retention
 * ({@code chat.retention.*}, checked hourly). Deletes go through the
 * group-commit writer like every other write.
 */
@Component
class ScheduledJobs {

    private static final Logger log = LoggerFactory.getLogger(ScheduledJobs.class);

    private final BackupService backups;
    private final GroupCommitWriter writer;
    private final Clock clock;
    private final OpsProperties ops;

    ScheduledJobs(
            BackupService backups, GroupCommitWriter writer, Clock clock, OpsProperties ops, TaskScheduler scheduler) {
        this.backups = backups;
        this.writer = writer;
        this.clock = clock;
        this.ops = ops;
        Duration every = ops.backup().interval();
        if (!every.isZero() && !every.isNegative()) {
            if (backups.unavailableReason().isPresent()) {
                // Said once, not as a failure every interval.
                log.warn(
                        "scheduled backups off: {}", backups.unavailableReason().get());
            } else {
                scheduler.scheduleWithFixedDelay(this::backup, Instant.now().plus(every), every);
            }
        }
        scheduler.scheduleWithFixedDelay(this::applyRetention, Instant.now().plusSeconds(60), Duration.ofHours(1));
    }

    private void backup() {
        try {
            backups.backupNow();
        } catch (RuntimeException e) {
            log.error("scheduled backup failed: {}", e.getMessage());
        }
    }

    void applyRetention() {
        Instant now = clock.instant();
        Duration messages = ops.retention().messages();
        if (!messages.isZero()) {
            writer.write("DELETE FROM messages WHERE sent_at < ? AND status <> 'queued'", now.minus(messages));
        }
        Duration sessions = ops.retention().sessions();
        if (!sessions.isZero()) {
            writer.write("DELETE FROM sessions WHERE disconnected_at < ?", now.minus(sessions));
        }
    }
}
