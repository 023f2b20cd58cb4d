package io.chatmsg.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import io.chatmsg.protocol.ClientIds;
import io.chatmsg.store.GroupCommitWriter;
import io.chatmsg.store.IdBlocks;
import io.chatmsg.store.Vendor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

/**
 * The message log: appends go through the group-commit writer (the future
 * completes when the row is durable); offline queues and HISTORY are read on
 * the writer's thread too, so they see every message acknowledged before them.
 */
@Service
public class MessageLog {

    /** Recipient key and conversation of broadcasts. */
    public static final String BROADCAST_KEY = "all";

    /** Message ids per bucket of the conversation index ({@code V12__bucketed_conversation_index.sql}). */
    static final long BUCKET_IDS = 4096;

    private static final String INSERT = "INSERT INTO messages (id, sent_at, sender, recipient, sender_key,"
            + " recipient_key, conversation, text, status, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT = "SELECT id, sent_at, sender, recipient, text FROM messages ";
    static final String ENQUEUE = "INSERT INTO queued_messages (id, recipient_key) VALUES (?, ?)";
    /**
     * PostgreSQL: the message row and its place in the queue in one statement, so that
     * consecutive queued messages go to the database as one batch (a unit of work of two
     * statements each would not batch).
     */
    private static final String INSERT_QUEUED = "WITH m AS (INSERT INTO messages (id, sent_at, sender, recipient,"
            + " sender_key, recipient_key, conversation, text, status, delivered_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, recipient_key)"
            + " INSERT INTO queued_messages (id, recipient_key) SELECT id, recipient_key FROM m";

    private static final String QUEUED_H2 = "SELECT m.id, m.sent_at, m.sender, m.recipient, m.text"
            + " FROM queued_messages q JOIN messages m ON m.id = q.id WHERE q.recipient_key = ? ORDER BY q.id";
    /**
     * PostgreSQL: the queue's ids first, then the messages by key, a plan that does not
     * depend on statistics. As a join it was planned, with statistics that lag the
     * queue's churn, into a scan of the whole messages table: 50-400 ms for each LOGIN's
     * claim, on the writer's thread (docs/performance.md, "Cluster mode").
     */
    static final String QUEUED_POSTGRESQL = "SELECT m.id, m.sent_at, m.sender, m.recipient, m.text FROM messages m"
            + " WHERE m.id = ANY (ARRAY(SELECT q.id FROM queued_messages q WHERE q.recipient_key = ?)) ORDER BY m.id";

    private final GroupCommitWriter writer;
    private final Clock clock;
    private final IdBlocks ids;
    /** Folded ids that may have queued messages: a LOGIN of anyone else skips the database. */
    private final Set<String> withQueued = ConcurrentHashMap.newKeySet();
    /** Cluster mode: other nodes queue messages too, so {@link #withQueued} cannot tell. */
    private volatile boolean queueShared;
    /** Cluster mode: see {@link #renewIdsEvery}. */
    private volatile boolean idsRenewed;

    private final boolean postgresql;

    /** Public for the write-path benchmark (io.chatmsg.bench), which builds one by hand without Spring. */
    public MessageLog(
            GroupCommitWriter writer,
            JdbcTemplate jdbc,
            Clock clock,
            @Qualifier("applicationTaskExecutor") Executor background) {
        this.writer = writer;
        this.clock = clock;
        this.postgresql = Vendor.of(jdbc.getDataSource()) == Vendor.POSTGRESQL;
        this.ids = IdBlocks.messages(jdbc, background);
        jdbc.query("SELECT DISTINCT recipient_key FROM queued_messages", rs -> {
            withQueued.add(rs.getString(1));
        });
    }

    /** See {@link GroupCommitWriter#backlogged()}. */
    public boolean backlogged() {
        return writer.backlogged();
    }

    /** A new message id: unique on the database, increasing in this process (never blocks while a block lasts). */
    public long nextId() {
        return ids.next();
    }

    /** Logs a direct message handed to an online recipient. */
    public CompletableFuture<Void> appendDelivered(long id, Instant at, String sender, String recipient, String text) {
        return append(id, at, sender, recipient, conversation(key(sender), key(recipient)), text, Message.DELIVERED);
    }

    /** Logs a message for an offline recipient; it waits for {@link #takeQueued}. */
    public CompletableFuture<Void> appendQueued(long id, Instant at, String sender, String recipient, String text) {
        return queue(id, at, sender, recipient, key(recipient), text);
    }

    /**
     * The message row and its place in the offline queue, in one operation so
     * one commit holds both (a message is never queued without its row, nor
     * logged as queued without a place in the queue).
     */
    private CompletableFuture<Void> queue(
            long id, Instant at, String sender, String recipient, String recipientKey, String text) {
        String senderKey = key(sender);
        Object[] row = {
            id,
            at,
            sender,
            recipient,
            senderKey,
            recipientKey,
            conversation(senderKey, recipientKey),
            text,
            Message.QUEUED,
            null
        };
        CompletableFuture<Void> done = postgresql
                ? writer.writeDurably(INSERT_QUEUED, row)
                // H2 has no data-modifying WITH: the two inserts in one unit of work.
                : writer.run(c -> {
                    try (PreparedStatement m = c.prepareStatement(INSERT);
                            PreparedStatement q = c.prepareStatement(ENQUEUE)) {
                        bind(m, row);
                        m.executeUpdate();
                        q.setLong(1, id);
                        q.setString(2, recipientKey);
                        q.executeUpdate();
                    }
                    return null;
                });
        if (!done.isCompletedExceptionally()) {
            withQueued.add(recipientKey);
        }
        return done;
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            ps.setObject(i + 1, a instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : a);
        }
    }

    /**
     * A copy of an operator broadcast kept for an offline client: delivered at its
     * next LOGIN as {@code MSG SERVER ALL <text>} (recipient ALL, keyed to the client).
     */
    public CompletableFuture<Void> appendQueuedBroadcast(long id, Instant at, String recipient, String text) {
        return queue(id, at, ClientIds.SERVER, ClientIds.ALL, key(recipient), text);
    }

    public CompletableFuture<Void> appendBroadcast(long id, Instant at, String sender, String text) {
        return append(id, at, sender, "ALL", BROADCAST_KEY, text, Message.DELIVERED);
    }

    private CompletableFuture<Void> append(
            long id, Instant at, String sender, String recipient, String conversation, String text, String status) {
        return writer.writeDurably(
                INSERT,
                id,
                at,
                sender,
                recipient,
                key(sender),
                key(recipient),
                conversation,
                text,
                status,
                Message.DELIVERED.equals(status) ? at : null);
    }

    /** Cheap check before {@link #takeQueued}; clears the mark. Always true once {@link #shareQueue}d. */
    public boolean claimQueued(String recipientKey) {
        return withQueued.remove(recipientKey) || queueShared;
    }

    /**
     * Cluster mode: other nodes queue messages in this database too, so every LOGIN
     * looks in the queue instead of trusting this process's marks.
     */
    public void shareQueue() {
        queueShared = true;
    }

    /**
     * Cluster mode: message ids from a fresh block every {@code every} (see
     * {@link IdBlocks#renewEvery}), so that the nodes' ids follow time to within that.
     */
    public void renewIdsEvery(Duration every, TaskScheduler scheduler) {
        ids.renewEvery(every, scheduler);
        idsRenewed = true;
    }

    /**
     * The recipient's queued messages, oldest first, marked delivered in the
     * same transaction. Runs after every write enqueued before it.
     */
    public CompletableFuture<List<StoredMessage>> takeQueued(String recipientKey) {
        CompletableFuture<List<StoredMessage>> taken = writer.run(c -> {
            List<StoredMessage> queued = query(c, postgresql ? QUEUED_POSTGRESQL : QUEUED_H2, recipientKey);
            if (idsRenewed) {
                // Queued through several nodes: their ids follow time only to within a second.
                queued.sort(Comparator.comparing(StoredMessage::sentAt).thenComparingLong(StoredMessage::id));
            }
            if (!queued.isEmpty()) {
                // Exactly the rows read: in a cluster another node's writer may queue a message
                // for this id between the read and these statements (it stays queued), or take
                // one of them first (then it is that node's, not in this claim).
                try (PreparedStatement del = c.prepareStatement("DELETE FROM queued_messages WHERE id = ?");
                        PreparedStatement ps = c.prepareStatement(
                                "UPDATE messages SET status = 'delivered', delivered_at = ? WHERE id = ?")) {
                    for (StoredMessage m : queued) {
                        del.setLong(1, m.id());
                        del.addBatch();
                    }
                    int[] deleted = del.executeBatch();
                    List<StoredMessage> ours = new ArrayList<>(queued.size());
                    OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
                    for (int i = 0; i < deleted.length; i++) {
                        // SUCCESS_NO_INFO: the driver does not count; the row was there when read.
                        if (deleted[i] > 0 || deleted[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                            StoredMessage m = queued.get(i);
                            ours.add(m);
                            ps.setObject(1, now);
                            ps.setLong(2, m.id());
                            ps.addBatch();
                        }
                    }
                    ps.executeBatch();
                    queued = ours;
                }
            }
            return queued;
        });
        // Not taken after all: keep them marked so the next LOGIN tries again.
        taken.whenComplete((queued, failure) -> {
            if (failure != null) {
                withQueued.add(recipientKey);
            }
        });
        return taken;
    }

    /**
     * The last {@code limit} messages between two clients (both directions), or
     * the last broadcasts when {@code otherKey} is null; oldest first.
     */
    public CompletableFuture<List<StoredMessage>> history(String meKey, String otherKey, int limit) {
        String conversation = otherKey == null ? BROADCAST_KEY : conversation(meKey, otherKey);
        return writer.run(c -> {
            List<StoredMessage> newestFirst = newestOf(c, conversation, limit);
            Collections.reverse(newestFirst);
            // Several nodes' ids follow time only to within a second (IdBlocks.renewEvery).
            if (idsRenewed) {
                newestFirst.sort(Comparator.comparing(StoredMessage::sentAt).thenComparingLong(StoredMessage::id));
            }
            return newestFirst;
        });
    }

    /**
     * Walks the index's buckets (V12: {@value #BUCKET_IDS} ids each) from the newest
     * down to the oldest message still kept, one index seek per bucket, until it
     * has {@code limit} messages.
     */
    private static List<StoredMessage> newestOf(Connection c, String conversation, int limit) throws SQLException {
        long newest;
        long oldest;
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(id), MAX(id) FROM messages");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            oldest = rs.getLong(1) / BUCKET_IDS;
            newest = rs.getLong(2) / BUCKET_IDS;
        }
        List<StoredMessage> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(SELECT + "WHERE bucket = ? AND conversation = ? ORDER BY id DESC LIMIT ?")) {
            for (long bucket = newest; bucket >= oldest && out.size() < limit; bucket--) {
                ps.setLong(1, bucket);
                ps.setString(2, conversation);
                ps.setInt(3, limit - out.size());
                read(ps, out);
            }
        }
        return out;
    }

    private static List<StoredMessage> query(Connection c, String sql, String arg) throws SQLException {
        List<StoredMessage> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            read(ps, out);
        }
        return out;
    }

    private static void read(PreparedStatement ps, List<StoredMessage> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredMessage(
                        rs.getLong(1),
                        rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5)));
            }
        }
    }

    static String conversation(String aKey, String bKey) {
        return aKey.compareTo(bKey) <= 0 ? aKey + " " + bKey : bKey + " " + aKey;
    }

    private static String key(String id) {
        return ClientIds.fold(id);
    }
}
