package io.chatmsg.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.chatmsg.config.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Broadcasts set for later (maintenance notices). Kept in the database, so a
 * restart keeps them; checked every few seconds; each is sent once. One that
 * fell due while the server was down is sent when it comes back.
 */
@Service
class BroadcastScheduler {

    private static final Logger log = LoggerFactory.getLogger(BroadcastScheduler.class);

    private final ScheduledBroadcastRepository repository;
    private final OperatorActions actions;
    private final Clock clock;

    private final boolean clustered;

    BroadcastScheduler(
            ScheduledBroadcastRepository repository, OperatorActions actions, Clock clock, NodeIdentity node) {
        this.clustered = node.clustered();
        this.repository = repository;
        this.actions = actions;
        this.clock = clock;
    }

    /** Checks the text and criteria now, so a mistake is refused when typed, not when due. */
    @Transactional
    ScheduledBroadcast schedule(
            Instant at, String text, ClientSelector to, boolean queueOffline, String operator, String remote) {
        Instant now = clock.instant();
        if (!at.isAfter(now)) {
            throw new IllegalArgumentException("the time to send must be in the future");
        }
        actions.checkBroadcastText(text);
        ScheduledBroadcast b = repository.save(new ScheduledBroadcast(at, text, to, queueOffline, operator, now));
        actions.audit(
                operator,
                AuditLog.BROADCAST,
                "scheduled #" + b.getId() + " for " + at + " (" + to + "): " + text,
                remote);
        return b;
    }

    /** False when there is no such pending broadcast. */
    @Transactional
    boolean cancel(long id, String operator, String remote) {
        ScheduledBroadcast b = repository.findById(id).orElse(null);
        if (b == null || !ScheduledBroadcast.PENDING.equals(b.getStatus())) {
            return false;
        }
        b.cancel();
        actions.audit(operator, AuditLog.BROADCAST, "cancelled scheduled #" + id, remote);
        return true;
    }

    List<ScheduledBroadcast> recent() {
        return repository.findTop50ByOrderByIdDesc();
    }

    @Scheduled(fixedDelay = 2000)
    @Transactional
    void sendDue() {
        Instant now = clock.instant();
        // Every node of a cluster looks; the one that locks a due broadcast sends it.
        List<ScheduledBroadcast> due = clustered
                ? repository.lockDue(ScheduledBroadcast.PENDING, now)
                : repository.findByStatusAndDueAtLessThanEqualOrderByDueAt(ScheduledBroadcast.PENDING, now);
        for (ScheduledBroadcast b : due) {
            try {
                b.sent(actions.broadcast(
                        b.getText(),
                        b.selector(),
                        b.isQueueOffline(),
                        b.getCreatedBy() + " (scheduled #" + b.getId() + ")",
                        null));
            } catch (RuntimeException e) {
                log.warn("scheduled broadcast {} failed: {}", b.getId(), e.getMessage());
                b.failed(e.getMessage());
            }
        }
    }
}
