package io.chatmsg.history;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.chatmsg.store.GroupCommitWriter;
import io.chatmsg.store.Vendor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The offline queue as the nodes of a cluster share it (cluster mode, docs/cluster.md):
 * a message handed to another node stays queued until that node has written it to its
 * recipient; what a sweep took for a client that had left goes back; which clients
 * here have messages left waiting. {@link MessageLog} keeps the queue itself.
 */
@Component
@ConditionalOnProperty(name = "chat.cluster.enabled", havingValue = "true")
public class HandOvers {

    /** PostgreSQL: out of the queue and marked delivered in one statement, so consecutive ones batch. */
    private static final String DELIVERED = "WITH q AS (DELETE FROM queued_messages WHERE id = ? RETURNING id)"
            + " UPDATE messages SET status = 'delivered', delivered_at = ? WHERE id IN (SELECT id FROM q)";

    /**
     * The redelivery sweep's question, every heartbeat on every node. Written so that the
     * plan is the same whatever the statistics say: the queue's few live rows first, each
     * message's send time then looked up by its key (a subquery PostgreSQL does not turn
     * into a join). As a join it was planned from statistics that lag the queue's churn
     * (or are never renewed where autovacuum is off) into a scan of the whole messages
     * table: 0.1-0.6 s of the database's CPU per sweep, growing with the log
     * (docs/performance.md, "Cluster mode"). {@code HandOversTests} checks the plan.
     */
    static final String WAITING = "SELECT DISTINCT q.recipient_key FROM queued_messages q"
            + " WHERE q.recipient_key = ANY (?) AND (SELECT m.sent_at FROM messages m WHERE m.id = q.id) < ?";

    private final GroupCommitWriter writer;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final boolean postgresql;

    HandOvers(GroupCommitWriter writer, JdbcTemplate jdbc, Clock clock) {
        this.writer = writer;
        this.jdbc = jdbc;
        this.clock = clock;
        this.postgresql = Vendor.of(jdbc.getDataSource()) == Vendor.POSTGRESQL;
    }

    /**
     * A queued message another node handed here has been written to its recipient's
     * connection: delivered, out of the queue (both in the writer's next commit).
     */
    public void markDelivered(long id) {
        OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
        if (postgresql) {
            writer.write(DELIVERED, id, now);
        } else {
            writer.write("UPDATE messages SET status = 'delivered', delivered_at = ? WHERE id = ?", now, id);
            writer.write("DELETE FROM queued_messages WHERE id = ?", id);
        }
    }

    /**
     * Cluster mode: messages taken from a queue for a client that left before they could be
     * written to it go back into the queue, for its next LOGIN.
     */
    public CompletableFuture<Void> requeue(String recipientKey, List<Long> ids) {
        return writer.run(c -> {
            try (PreparedStatement back = c.prepareStatement(MessageLog.ENQUEUE);
                    PreparedStatement status = c.prepareStatement(
                            "UPDATE messages SET status = 'queued', delivered_at = NULL WHERE id = ?")) {
                for (long id : ids) {
                    back.setLong(1, id);
                    back.setString(2, recipientKey);
                    back.addBatch();
                    status.setLong(1, id);
                    status.addBatch();
                }
                back.executeBatch();
                status.executeBatch();
            }
            return null;
        });
    }

    /**
     * Of {@code keys}, those with a message queued before {@code before}: cluster mode
     * hands those to their clients online here (a message queued while its recipient
     * was between nodes, or while Redis was away). Blocks: never on an event loop.
     */
    public Set<String> waitingAmong(Collection<String> keys, Instant before) {
        Set<String> waiting = new HashSet<>();
        if (keys.isEmpty()) {
            return waiting;
        }
        jdbc.query(
                c -> {
                    PreparedStatement ps = c.prepareStatement(WAITING);
                    ps.setArray(1, c.createArrayOf("VARCHAR", keys.toArray()));
                    ps.setObject(2, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
                    return ps;
                },
                rs -> {
                    waiting.add(rs.getString(1));
                });
        return waiting;
    }
}
