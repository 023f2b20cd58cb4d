package io.chatmsg.account;

import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import io.chatmsg.protocol.ClientIds;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Service;

/**
 * Bans of ids and of addresses or CIDR ranges, with an optional expiry:
 * kept in memory for the checks on every LOGIN and connection, persisted
 * (operators ban rarely, so these writes go straight to the database).
 */
@Service
public class Bans {

    public static final String ID = "id";
    public static final String ADDRESS = "address";

    /** One ban; {@code value} is the folded id, or the address/CIDR as given. */
    public record Ban(
            String kind, String value, String reason, String createdBy, Instant createdAt, Instant expiresAt) {
        public boolean activeAt(Instant now) {
            return expiresAt == null || expiresAt.isAfter(now);
        }
    }

    private final ConcurrentHashMap<String, Ban> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Ban> byAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, IpAddressMatcher> matchers = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TaskExecutor background;

    Bans(JdbcTemplate jdbc, Clock clock, @Qualifier("applicationTaskExecutor") TaskExecutor background) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.background = background;
        jdbc.query("SELECT kind, ban_value, reason, created_by, created_at, expires_at FROM bans", rs -> {
            Timestamp expires = rs.getTimestamp(6);
            remember(new Ban(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getTimestamp(5).toInstant(),
                    expires == null ? null : expires.toInstant()));
        });
    }

    /** The ban on {@code id} in force now, or null. */
    public Ban ofId(String id) {
        Ban b = byId.get(ClientIds.fold(id));
        return b != null && b.activeAt(clock.instant()) ? b : null;
    }

    /** A ban in force now that covers {@code address}, or null. */
    public Ban ofAddress(InetAddress address) {
        if (byAddress.isEmpty()) {
            return null;
        }
        Instant now = clock.instant();
        String ip = address.getHostAddress();
        for (Ban b : byAddress.values()) {
            if (b.activeAt(now) && matchers.get(b.value()).matches(ip)) {
                return b;
            }
        }
        return null;
    }

    public Ban banId(String id, String reason, Instant expiresAt, String operator) {
        if (!ClientIds.isWellFormed(id)) {
            throw new IllegalArgumentException("bad id " + id);
        }
        return save(new Ban(ID, ClientIds.fold(id), reason, operator, clock.instant(), expiresAt));
    }

    /** {@code address}: an IP address or a CIDR range ({@code 203.0.113.0/24}, {@code 2001:db8::/32}). */
    public Ban banAddress(String address, String reason, Instant expiresAt, String operator) {
        try {
            new IpAddressMatcher(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("address must be an IP address or a CIDR range, not '" + address + "'");
        }
        return save(new Ban(ADDRESS, address, reason, operator, clock.instant(), expiresAt));
    }

    /** False when there was no such ban. */
    public boolean lift(String kind, String value) {
        String key = ID.equals(kind) ? ClientIds.fold(value) : value;
        Ban removed = (ID.equals(kind) ? byId : byAddress).remove(key);
        jdbc.update("DELETE FROM bans WHERE kind = ? AND ban_value = ?", kind, key);
        return removed != null;
    }

    /** Every ban, newest first (expired ones included until lifted). */
    public List<Ban> all() {
        List<Ban> all = new ArrayList<>(byId.values());
        all.addAll(byAddress.values());
        all.sort(Comparator.comparing(Ban::createdAt).reversed());
        return all;
    }

    /**
     * For bans decided on an event loop (flapping): in force at once, written to the
     * database in the background, so the event loop never waits for it.
     */
    public void banNow(String kind, String value, String reason, Instant expiresAt, String by) {
        Ban b = new Ban(kind, ID.equals(kind) ? ClientIds.fold(value) : value, reason, by, clock.instant(), expiresAt);
        remember(b);
        background.execute(() -> save(b));
    }

    private Ban save(Ban b) {
        jdbc.update(
                "MERGE INTO bans (kind, ban_value, reason, created_by, created_at, expires_at)"
                        + " KEY (kind, ban_value) VALUES (?, ?, ?, ?, ?, ?)",
                b.kind(),
                b.value(),
                b.reason(),
                b.createdBy(),
                Timestamp.from(b.createdAt()),
                b.expiresAt() == null ? null : Timestamp.from(b.expiresAt()));
        remember(b);
        return b;
    }

    private void remember(Ban b) {
        if (ID.equals(b.kind())) {
            byId.put(b.value(), b);
        } else {
            matchers.put(b.value(), new IpAddressMatcher(b.value()));
            byAddress.put(b.value(), b);
        }
    }
}
