package io.chatmsg.account;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import io.chatmsg.config.LimitsProperties;
import io.chatmsg.protocol.ClientIds;
import io.chatmsg.store.GroupCommitWriter;
import io.chatmsg.store.Vendor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Every id that ever logged in or registered, kept in memory (loaded once at
 * start) with its password hash, so the hot path can tell a known client from
 * an unknown one, and a protected id from a free one, without the database.
 * Changes are written through the group-commit writer.
 *
 * <p>It stays complete, because the event loops decide from it alone whether
 * {@code MSG} is queued (202) or refused (404); forgetting ids would change
 * those answers, and asking the database there would block. So it is compact
 * instead — an id whose display form is its lower-case key costs only the
 * map's entry and the key (about 100 bytes) — and bounded: beyond
 * {@code chat.limits.max-known-ids}, a LOGIN of a new id is refused
 * ({@code 503}) until the operator deletes ids; known ids are not affected.
 */
@Service
public class UserDirectory {

    /** The value of an id without a password whose display form is its key. */
    private static final Object PLAIN = new Object();

    /** The value of an id with a password (few): its display form and hash. */
    private record Registered(String displayId, String passwordHash) {}

    /** Thrown when REGISTER finds the id already protected. */
    public static final class AlreadyRegistered extends RuntimeException {
        AlreadyRegistered(String display) {
            super(display, null, false, false);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(UserDirectory.class);

    private static final String INSERT =
            "INSERT INTO users (id_key, display_id, first_seen, last_seen) VALUES (?, ?, ?, ?)";
    private static final String TOUCH = "UPDATE users SET last_seen = ? WHERE id_key = ?";
    /** Bound alike on both databases: key, display, key, first seen, last seen, hash, registered at. */
    private static final String REGISTER_H2 = "MERGE INTO users (id_key, display_id, first_seen, last_seen,"
            + " password_hash, registered_at) KEY (id_key) VALUES (?, ?, COALESCE((SELECT first_seen FROM users"
            + " WHERE id_key = ?), ?), ?, ?, ?)";

    private static final String REGISTER_POSTGRESQL = "INSERT INTO users (id_key, display_id, first_seen, last_seen,"
            + " password_hash, registered_at) VALUES (?, ?, COALESCE((SELECT first_seen FROM users"
            + " WHERE id_key = ?), ?), ?, ?, ?) ON CONFLICT (id_key) DO UPDATE SET display_id = EXCLUDED.display_id,"
            + " first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen,"
            + " password_hash = EXCLUDED.password_hash, registered_at = EXCLUDED.registered_at";
    private static final String SET_PASSWORD = "UPDATE users SET password_hash = ? WHERE id_key = ?";
    private static final String DELETE = "DELETE FROM users WHERE id_key = ?";

    /**
     * Key: the folded id. Value: {@link #PLAIN}, the display form (a String, when
     * it differs from the key), or {@link Registered}.
     */
    private final ConcurrentHashMap<String, Object> known = new ConcurrentHashMap<>();

    private final GroupCommitWriter writer;
    private final JdbcTemplate jdbc;
    /** Cluster mode: told the key of every id whose row this node changed, to tell the other nodes. */
    private volatile BiConsumer<String, String> changes = (key, display) -> {};

    private final String register;
    private final int maxIds;
    private volatile boolean full;

    UserDirectory(JdbcTemplate jdbc, GroupCommitWriter writer, LimitsProperties limits, Vendor vendor) {
        this.writer = writer;
        this.jdbc = jdbc;
        this.register = vendor == Vendor.POSTGRESQL ? REGISTER_POSTGRESQL : REGISTER_H2;
        this.maxIds = limits.maxKnownIds();
        jdbc.query("SELECT id_key, display_id, password_hash FROM users", rs -> {
            String key = rs.getString(1);
            known.put(key, value(key, rs.getString(2), rs.getString(3)));
        });
    }

    /** The compact value of one id: nothing beyond the key when it can be. */
    private static Object value(String key, String display, String hash) {
        if (hash != null) {
            return new Registered(display, hash);
        }
        return key.equals(display) ? PLAIN : display;
    }

    private static String displayOf(String key, Object value) {
        if (value == PLAIN) {
            return key;
        }
        return value instanceof Registered r ? r.displayId() : (String) value;
    }

    private static String hashOf(Object value) {
        return value instanceof Registered r ? r.passwordHash() : null;
    }

    /** The id as first registered, or null when {@code id} is unknown. */
    public String displayId(String id) {
        String key = ClientIds.fold(id);
        Object v = known.get(key);
        return v == null ? null : displayOf(key, v);
    }

    /** The password hash of a registered id, or null. */
    public String passwordHash(String id) {
        return hashOf(known.get(ClientIds.fold(id)));
    }

    public boolean isRegistered(String id) {
        return passwordHash(id) != null;
    }

    /**
     * Records a login and returns the id as first registered, or null when a new
     * id could not be recorded: the database queue is full, or the directory is
     * (see {@link #isFull()}).
     */
    public String recordLogin(String id, Instant now) {
        String key = ClientIds.fold(id);
        Object existing = known.get(key);
        if (existing == null) {
            if (known.size() >= maxIds) {
                if (!full) {
                    full = true;
                    log.warn("{} known ids: chat.limits.max-known-ids reached, new ids cannot log in", maxIds);
                }
                return null;
            }
            Object fresh = value(key, id, null);
            existing = known.putIfAbsent(key, fresh);
            if (existing == null) {
                if (!writer.write(INSERT, key, id, now, now)) {
                    known.remove(key, fresh);
                    return null;
                }
                // Told with its display id: the others learn it before this row is even committed.
                changes.accept(key, id);
                return id;
            }
        }
        writer.write(TOUCH, now, key);
        return displayOf(key, existing);
    }

    /** True while new ids are refused because {@code chat.limits.max-known-ids} ids are known. */
    public boolean isFull() {
        if (full && known.size() < maxIds) {
            full = false;
        }
        return full;
    }

    /**
     * Protects {@code id} with a password hash; completes with the id as first
     * registered once it is committed. Fails with {@link AlreadyRegistered} when
     * another REGISTER got there first.
     */
    public CompletableFuture<String> register(String id, String hash, Instant now) {
        String key = ClientIds.fold(id);
        Object[] before = new Object[1];
        Object after = known.compute(key, (k, current) -> {
            before[0] = current;
            if (hashOf(current) != null) {
                return current;
            }
            return new Registered(current == null ? id : displayOf(k, current), hash);
        });
        String display = displayOf(key, after);
        if (hashOf(after) != hash) {
            return CompletableFuture.failedFuture(new AlreadyRegistered(display));
        }
        return writer.writeDurably(register, key, display, key, now, now, hash, now)
                .handle((v, failure) -> {
                    if (failure != null) {
                        // Not stored: undo, so the id is not protected by a password nobody can rely on.
                        known.compute(key, (k, current) -> current == after ? before[0] : current);
                        throw new IllegalStateException("not stored", failure);
                    }
                    changes.accept(key, null);
                    return display;
                });
    }

    /** Operator: a new password for a known id; false when the id is unknown. */
    public CompletableFuture<Boolean> setPassword(String id, String hash) {
        String key = ClientIds.fold(id);
        Object k = known.computeIfPresent(key, (x, current) -> new Registered(displayOf(x, current), hash));
        if (k == null) {
            return CompletableFuture.completedFuture(false);
        }
        return writer.writeDurably(SET_PASSWORD, hash, key).thenApply(v -> {
            changes.accept(key, null);
            return true;
        });
    }

    /** Operator: forgets an id (its messages stay in the log); false when unknown. */
    public CompletableFuture<Boolean> delete(String id) {
        String key = ClientIds.fold(id);
        if (known.remove(key) == null) {
            return CompletableFuture.completedFuture(false);
        }
        return writer.writeDurably(DELETE, key).thenApply(v -> {
            changes.accept(key, null);
            return true;
        });
    }

    /** Last seen now (logoff, disconnect); best effort. */
    public void recordSeen(String key, Instant now) {
        writer.write(TOUCH, now, key);
    }

    /** Every known id, as first registered (a snapshot). */
    public List<String> displayIds() {
        List<String> ids = new ArrayList<>(known.size());
        known.forEach((key, value) -> ids.add(displayOf(key, value)));
        return ids;
    }

    public int size() {
        return known.size();
    }

    /**
     * Cluster mode: {@code listener} gets the key of each id this node adds (with its display
     * id), protects or forgets (with null, once committed).
     */
    public void onChange(BiConsumer<String, String> listener) {
        this.changes = listener;
    }

    /**
     * Cluster mode: an id this node does not know, looked up in the database (another node
     * may have recorded it while this one was not listening): its display id once read,
     * remembered; null when the database has no such id. Through the writer, so it never
     * blocks the caller, and it sees every write queued before it.
     */
    public CompletableFuture<String> lookup(String key) {
        return writer.run(c -> {
            try (java.sql.PreparedStatement ps =
                    c.prepareStatement("SELECT display_id, password_hash FROM users WHERE id_key = ?")) {
                ps.setString(1, key);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Object v = known.computeIfAbsent(key, k -> {
                        try {
                            return value(k, rs.getString(1), rs.getString(2));
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    return displayOf(key, v);
                }
            }
        });
    }

    /** Cluster mode: another node has seen id {@code display} log in for the first time. */
    public void learn(String key, String display) {
        known.putIfAbsent(key, value(key, display, null));
    }

    /**
     * Cluster mode: another node changed id {@code key}; its row is read again (the new id,
     * its password, or its deletion). Blocks on the database: never on an event loop.
     */
    public void reload(String key) {
        List<Object> found = new ArrayList<>(1);
        jdbc.query(
                "SELECT display_id, password_hash FROM users WHERE id_key = ?",
                rs -> {
                    found.add(value(key, rs.getString(1), rs.getString(2)));
                },
                key);
        if (found.isEmpty()) {
            known.remove(key);
        } else {
            known.put(key, found.get(0));
        }
    }
}
