package io.chatmsg.account;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.chatmsg.protocol.ClientIds;
import io.chatmsg.store.GroupCommitWriter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Every id that ever logged in or registered, kept in memory (loaded once at
 * start) with its password hash, so the hot path can tell a known client from
 * an unknown one, and a protected id from a free one, without the database.
 * Changes are written through the group-commit writer.
 */
@Service
public class UserDirectory {

    /** What is known of one id. */
    record Known(String displayId, String passwordHash) {}

    /** Thrown when REGISTER finds the id already protected. */
    public static final class AlreadyRegistered extends RuntimeException {
        AlreadyRegistered(String display) {
            super(display, null, false, false);
        }
    }

    private static final String INSERT =
            "INSERT INTO users (id_key, display_id, first_seen, last_seen) VALUES (?, ?, ?, ?)";
    private static final String TOUCH = "UPDATE users SET last_seen = ? WHERE id_key = ?";
    private static final String REGISTER = "MERGE INTO users (id_key, display_id, first_seen, last_seen,"
            + " password_hash, registered_at) KEY (id_key) VALUES (?, ?, COALESCE((SELECT first_seen FROM users"
            + " WHERE id_key = ?), ?), ?, ?, ?)";
    private static final String SET_PASSWORD = "UPDATE users SET password_hash = ? WHERE id_key = ?";
    private static final String DELETE = "DELETE FROM users WHERE id_key = ?";

    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
    private final GroupCommitWriter writer;

    UserDirectory(JdbcTemplate jdbc, GroupCommitWriter writer) {
        this.writer = writer;
        jdbc.query("SELECT id_key, display_id, password_hash FROM users", rs -> {
            known.put(rs.getString(1), new Known(rs.getString(2), rs.getString(3)));
        });
    }

    /** The id as first registered, or null when {@code id} is unknown. */
    public String displayId(String id) {
        Known k = known.get(ClientIds.fold(id));
        return k == null ? null : k.displayId();
    }

    /** The password hash of a registered id, or null. */
    public String passwordHash(String id) {
        Known k = known.get(ClientIds.fold(id));
        return k == null ? null : k.passwordHash();
    }

    public boolean isRegistered(String id) {
        return passwordHash(id) != null;
    }

    /**
     * Records a login and returns the id as first registered, or null when the
     * database queue is full and a new id could not be recorded.
     */
    public String recordLogin(String id, Instant now) {
        String key = ClientIds.fold(id);
        Known fresh = new Known(id, null);
        Known existing = known.putIfAbsent(key, fresh);
        if (existing == null) {
            if (!writer.write(INSERT, key, id, now, now)) {
                known.remove(key, fresh);
                return null;
            }
            return id;
        }
        writer.write(TOUCH, now, key);
        return existing.displayId();
    }

    /**
     * Protects {@code id} with a password hash; completes with the id as first
     * registered once it is committed. Fails with {@link AlreadyRegistered} when
     * another REGISTER got there first.
     */
    public CompletableFuture<String> register(String id, String hash, Instant now) {
        String key = ClientIds.fold(id);
        Known[] before = new Known[1];
        Known after = known.compute(key, (k, current) -> {
            before[0] = current;
            if (current != null && current.passwordHash() != null) {
                return current;
            }
            return new Known(current == null ? id : current.displayId(), hash);
        });
        if (after.passwordHash() != hash) {
            return CompletableFuture.failedFuture(new AlreadyRegistered(after.displayId()));
        }
        return writer.writeDurably(REGISTER, key, after.displayId(), key, now, now, hash, now)
                .handle((v, failure) -> {
                    if (failure != null) {
                        // Not stored: undo, so the id is not protected by a password nobody can rely on.
                        known.compute(key, (k, current) -> current == after ? before[0] : current);
                        throw new IllegalStateException("not stored", failure);
                    }
                    return after.displayId();
                });
    }

    /** Operator: a new password for a known id; false when the id is unknown. */
    public CompletableFuture<Boolean> setPassword(String id, String hash) {
        String key = ClientIds.fold(id);
        Known k = known.computeIfPresent(key, (x, current) -> new Known(current.displayId(), hash));
        if (k == null) {
            return CompletableFuture.completedFuture(false);
        }
        return writer.writeDurably(SET_PASSWORD, hash, key).thenApply(v -> true);
    }

    /** Operator: forgets an id (its messages stay in the log); false when unknown. */
    public CompletableFuture<Boolean> delete(String id) {
        String key = ClientIds.fold(id);
        if (known.remove(key) == null) {
            return CompletableFuture.completedFuture(false);
        }
        return writer.writeDurably(DELETE, key).thenApply(v -> true);
    }

    /** Last seen now (logoff, disconnect); best effort. */
    public void recordSeen(String key, Instant now) {
        writer.write(TOUCH, now, key);
    }

    /** Every known id, as first registered (a snapshot). */
    public List<String> displayIds() {
        List<String> ids = new ArrayList<>(known.size());
        known.values().forEach(k -> ids.add(k.displayId()));
        return ids;
    }

    public int size() {
        return known.size();
    }
}
