package io.chatmsg.account;

import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.chatmsg.protocol.ClientIds;
import io.chatmsg.store.Vendor;
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

    /** An address ban with its matcher, so the two come and go together. */
    private record AddressBan(Ban ban, IpAddressMatcher matcher) {}

    private final ConcurrentHashMap<String, Ban> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AddressBan> byAddress = new ConcurrentHashMap<>();
    private static final String UPSERT_H2 = "MERGE INTO bans (kind, ban_value, reason, created_by, created_at,"
            + " expires_at) KEY (kind, ban_value) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String UPSERT_POSTGRESQL = "INSERT INTO bans (kind, ban_value, reason, created_by,"
            + " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, ban_value) DO UPDATE SET"
            + " reason = EXCLUDED.reason, created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at,"
            + " expires_at = EXCLUDED.expires_at";

    private final JdbcTemplate jdbc;
    /** Cluster mode: told after each change this node makes, to tell the other nodes. */
    private volatile Runnable changes = () -> {};

    private final String upsert;
    private final Clock clock;
    private final TaskExecutor background;

    Bans(JdbcTemplate jdbc, Clock clock, @Qualifier("applicationTaskExecutor") TaskExecutor background, Vendor vendor) {
        this.jdbc = jdbc;
        this.upsert = vendor == Vendor.POSTGRESQL ? UPSERT_POSTGRESQL : UPSERT_H2;
        this.clock = clock;
        this.background = background;
        load();
    }

    /** Every ban from the database. */
    private void load() {
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

    /**
     * Cluster mode: another node changed the bans; read them all again. Blocks on the
     * database: never on an event loop.
     */
    public synchronized void reload() {
        Set<String> ids = new HashSet<>(byId.keySet());
        Set<String> addresses = new HashSet<>(byAddress.keySet());
        load(); // replaces each ban still there; never a moment without the others
        Set<String> loadedIds = new HashSet<>();
        Set<String> loadedAddresses = new HashSet<>();
        jdbc.query("SELECT kind, ban_value FROM bans", rs -> {
            (ID.equals(rs.getString(1)) ? loadedIds : loadedAddresses).add(rs.getString(2));
        });
        ids.removeAll(loadedIds);
        addresses.removeAll(loadedAddresses);
        ids.forEach(byId::remove);
        addresses.forEach(byAddress::remove);
    }

    /** Cluster mode: {@code listener} runs after each change of the bans this node makes. */
    public void onChange(Runnable listener) {
        this.changes = listener;
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
        for (AddressBan a : byAddress.values()) {
            if (a.ban().activeAt(now) && a.matcher().matches(ip)) {
                return a.ban();
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

    /**
     * False when there was no such ban. Under the same lock as the deferred write of
     * {@link #banNow}, so a ban lifted before that write happens is not written back.
     */
    public synchronized boolean lift(String kind, String value) {
        String key = ID.equals(kind) ? ClientIds.fold(value) : value;
        Object removed = (ID.equals(kind) ? byId : byAddress).remove(key);
        jdbc.update("DELETE FROM bans WHERE kind = ? AND ban_value = ?", kind, key);
        changes.run();
        return removed != null;
    }

    /** Every ban, newest first (expired ones included until lifted). */
    public List<Ban> all() {
        List<Ban> all = new ArrayList<>(byId.values());
        byAddress.values().forEach(a -> all.add(a.ban()));
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
        background.execute(() -> writeIfCurrent(b));
    }

    /** Written only while still in force in memory: not lifted, nor replaced, meanwhile. */
    private synchronized void writeIfCurrent(Ban b) {
        Object current = ID.equals(b.kind()) ? byId.get(b.value()) : ban(byAddress.get(b.value()));
        if (current == b) {
            write(b);
            changes.run();
        }
    }

    private synchronized Ban save(Ban b) {
        write(b);
        remember(b);
        changes.run();
        return b;
    }

    private void write(Ban b) {
        jdbc.update(
                upsert,
                b.kind(),
                b.value(),
                b.reason(),
                b.createdBy(),
                Timestamp.from(b.createdAt()),
                b.expiresAt() == null ? null : Timestamp.from(b.expiresAt()));
    }

    private void remember(Ban b) {
        if (ID.equals(b.kind())) {
            byId.put(b.value(), b);
        } else {
            byAddress.put(b.value(), new AddressBan(b, new IpAddressMatcher(b.value())));
        }
    }

    private static Ban ban(AddressBan a) {
        return a == null ? null : a.ban();
    }
}
