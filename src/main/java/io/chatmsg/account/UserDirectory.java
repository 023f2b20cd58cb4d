package io.chatmsg.account;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import io.chatmsg.protocol.ClientIds;
import io.chatmsg.store.GroupCommitWriter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Every id that ever logged in, kept in memory (loaded once at start) so the
 * hot path can tell a known client from an unknown one without the database.
 * New ids and last-seen times are written through the group-commit writer.
 */
@Service
public class UserDirectory {

    private static final String INSERT =
            "INSERT INTO users (id_key, display_id, first_seen, last_seen) VALUES (?, ?, ?, ?)";
    private static final String TOUCH = "UPDATE users SET last_seen = ? WHERE id_key = ?";

    private final ConcurrentHashMap<String, String> displayByKey = new ConcurrentHashMap<>();
    private final GroupCommitWriter writer;

    UserDirectory(JdbcTemplate jdbc, GroupCommitWriter writer) {
        this.writer = writer;
        jdbc.query("SELECT id_key, display_id FROM users", rs -> {
            displayByKey.put(rs.getString(1), rs.getString(2));
        });
    }

    /** The id as first registered, or null when {@code id} never logged in. */
    public String displayId(String id) {
        return displayByKey.get(ClientIds.fold(id));
    }

    /**
     * Records a login and returns the id as first registered, or null when the
     * database queue is full and a new id could not be recorded.
     */
    public String recordLogin(String id, Instant now) {
        String key = ClientIds.fold(id);
        String existing = displayByKey.putIfAbsent(key, id);
        if (existing == null) {
            if (!writer.write(INSERT, key, id, now, now)) {
                displayByKey.remove(key, id);
                return null;
            }
            return id;
        }
        writer.write(TOUCH, now, key);
        return existing;
    }

    /** Last seen now (logoff, disconnect); best effort. */
    public void recordSeen(String key, Instant now) {
        writer.write(TOUCH, now, key);
    }

    /** Every known id, as first registered (a snapshot). */
    public List<String> displayIds() {
        return new ArrayList<>(displayByKey.values());
    }

    public int size() {
        return displayByKey.size();
    }
}
