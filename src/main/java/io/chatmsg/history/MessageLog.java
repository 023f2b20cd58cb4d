package io.chatmsg.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.chatmsg.protocol.ClientIds;
import io.chatmsg.store.GroupCommitWriter;
import org.springframework.jdbc.core.JdbcTemplate;
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

    private static final String INSERT = "INSERT INTO messages (id, sent_at, sender, recipient, sender_key,"
            + " recipient_key, conversation, text, status, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT = "SELECT id, sent_at, sender, recipient, text FROM messages ";

    private final GroupCommitWriter writer;
    private final Clock clock;
    private final AtomicLong lastId;
    /** Folded ids that may have queued messages: a LOGIN of anyone else skips the database. */
    private final Set<String> withQueued = ConcurrentHashMap.newKeySet();

    MessageLog(GroupCommitWriter writer, JdbcTemplate jdbc, Clock clock) {
        this.writer = writer;
        this.clock = clock;
        Long max = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM messages", Long.class);
        this.lastId = new AtomicLong(max == null ? 0 : max);
        jdbc.query("SELECT DISTINCT recipient_key FROM messages WHERE status = 'queued'", rs -> {
            withQueued.add(rs.getString(1));
        });
    }

    /** See {@link GroupCommitWriter#backlogged()}. */
    public boolean backlogged() {
        return writer.backlogged();
    }

    public long nextId() {
        return lastId.incrementAndGet();
    }

    /** Logs a direct message handed to an online recipient. */
    public CompletableFuture<Void> appendDelivered(long id, Instant at, String sender, String recipient, String text) {
        return append(id, at, sender, recipient, conversation(key(sender), key(recipient)), text, Message.DELIVERED);
    }

    /** Logs a message for an offline recipient; it waits for {@link #takeQueued}. */
    public CompletableFuture<Void> appendQueued(long id, Instant at, String sender, String recipient, String text) {
        CompletableFuture<Void> done =
                append(id, at, sender, recipient, conversation(key(sender), key(recipient)), text, Message.QUEUED);
        if (!done.isCompletedExceptionally()) {
            withQueued.add(key(recipient));
        }
        return done;
    }

    /**
     * A copy of an operator broadcast kept for an offline client: delivered at its
     * next LOGIN as {@code MSG SERVER ALL <text>} (recipient ALL, keyed to the client).
     */
    public CompletableFuture<Void> appendQueuedBroadcast(long id, Instant at, String recipient, String text) {
        String key = key(recipient);
        CompletableFuture<Void> done = writer.writeDurably(
                INSERT,
                id,
                at,
                ClientIds.SERVER,
                ClientIds.ALL,
                key(ClientIds.SERVER),
                key,
                conversation(key(ClientIds.SERVER), key),
                text,
                Message.QUEUED,
                null);
        if (!done.isCompletedExceptionally()) {
            withQueued.add(key);
        }
        return done;
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

    /** Cheap check before {@link #takeQueued}; clears the mark. */
    public boolean claimQueued(String recipientKey) {
        return withQueued.remove(recipientKey);
    }

    /**
     * The recipient's queued messages, oldest first, marked delivered in the
     * same transaction. Runs after every write enqueued before it.
     */
    public CompletableFuture<List<StoredMessage>> takeQueued(String recipientKey) {
        CompletableFuture<List<StoredMessage>> taken = writer.run(c -> {
            List<StoredMessage> queued =
                    query(c, SELECT + "WHERE recipient_key = ? AND status = 'queued' ORDER BY id", recipientKey);
            if (!queued.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET status = 'delivered',"
                        + " delivered_at = ? WHERE recipient_key = ? AND status = 'queued'")) {
                    ps.setObject(1, OffsetDateTime.now(clock.withZone(ZoneOffset.UTC)));
                    ps.setString(2, recipientKey);
                    ps.executeUpdate();
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
            List<StoredMessage> newestFirst =
                    query(c, SELECT + "WHERE conversation = ? ORDER BY id DESC LIMIT " + limit, conversation);
            Collections.reverse(newestFirst);
            return newestFirst;
        });
    }

    private static List<StoredMessage> query(Connection c, String sql, String arg) throws SQLException {
        List<StoredMessage> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
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
        return out;
    }

    static String conversation(String aKey, String bKey) {
        return aKey.compareTo(bKey) <= 0 ? aKey + " " + bKey : bKey + " " + aKey;
    }

    private static String key(String id) {
        return ClientIds.fold(id);
    }
}
