package io.chatmsg.session;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

import io.chatmsg.config.NodeIdentity;
import io.chatmsg.store.GroupCommitWriter;
import io.chatmsg.store.IdBlocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Records every connection as a row in {@code sessions}: inserted at connect,
 * completed with counters and end reason at close, both through the
 * group-commit writer. Keeps the live ones for the dashboard.
 */
@Service
public class SessionRecorder {

    /** How a session ended when the server itself did not see the end. */
    public static final String LOST_IN_CRASH = "server crash";

    private static final Logger log = LoggerFactory.getLogger(SessionRecorder.class);
    /** How a session ended when the node that held it died (cluster mode). */
    public static final String NODE_LOST = "node lost";

    private static final String INSERT =
            "INSERT INTO sessions (id, remote_address, transport, connected_at, node) VALUES (?, ?, ?, ?, ?)";
    private static final String LOGGED_IN = "UPDATE sessions SET client_id = ? WHERE id = ?";
    private static final String CLOSE = "UPDATE sessions SET client_id = ?, disconnected_at = ?, end_reason = ?,"
            + " bytes_in = ?, bytes_out = ?, lines_in = ?, lines_out = ?, messages_in = ?, messages_out = ?"
            + " WHERE id = ?";

    private final GroupCommitWriter writer;
    private final Clock clock;
    private final IdBlocks ids;
    private final ConcurrentHashMap<Long, LiveSession> live = new ConcurrentHashMap<>();
    private final TrafficTotals closedTotals = new TrafficTotals();
    /** Sessions closed since the traffic recorder last looked, for their last minute of traffic. */
    private final ConcurrentLinkedQueue<LiveSession> closedSinceFlush = new ConcurrentLinkedQueue<>();

    private final LatencyProperties latency;
    private final JdbcTemplate jdbc;
    private final String node;
    private volatile SessionsElsewhere elsewhere;

    SessionRecorder(
            GroupCommitWriter writer,
            JdbcTemplate jdbc,
            Clock clock,
            LatencyProperties latency,
            NodeIdentity identity,
            @Qualifier("applicationTaskExecutor") Executor background) {
        this.latency = latency;
        this.writer = writer;
        this.clock = clock;
        this.jdbc = jdbc;
        this.node = identity.id();
        // A node of a cluster closes only what it left open itself: the others' sessions are live.
        int orphans = identity.clustered()
                ? jdbc.update(
                        "UPDATE sessions SET disconnected_at = connected_at, end_reason = ?"
                                + " WHERE disconnected_at IS NULL AND node = ?",
                        LOST_IN_CRASH,
                        node)
                : jdbc.update(
                        "UPDATE sessions SET disconnected_at = connected_at, end_reason = ?"
                                + " WHERE disconnected_at IS NULL",
                        LOST_IN_CRASH);
        if (orphans > 0) {
            log.warn(
                    "{} sessions were still open when the server last stopped; recorded as '{}'",
                    orphans,
                    LOST_IN_CRASH);
        }
        this.ids = IdBlocks.sessions(jdbc, background);
    }

    /** A new connection; null when the database queue is full (the caller turns the client away). */
    public LiveSession open(String remoteAddress, String transport) {
        return open(remoteAddress, remoteAddress, transport);
    }

    /**
     * A new connection from {@code remote} (the channel's own address object, which the
     * session shares rather than keeping its text); null when the database queue is full.
     */
    public LiveSession open(java.net.InetSocketAddress remote, String transport) {
        return open(remote, LiveSession.text(remote), transport);
    }

    private LiveSession open(Object remote, String remoteText, String transport) {
        Instant at = clock.instant();
        LiveSession s = new LiveSession(ids.next(), node, remote, transport, at, latency);
        if (!writer.write(INSERT, s.id(), remoteText, transport, at, node)) {
            return null;
        }
        live.put(s.id(), s);
        return s;
    }

    /** The session logged in as {@code clientId}: recorded now, so searches by client find live sessions too. */
    public void loggedIn(LiveSession s, String clientId) {
        s.clientId(clientId);
        writer.write(LOGGED_IN, clientId, s.id());
    }

    public void close(LiveSession s, String endReason) {
        if (live.remove(s.id()) == null) {
            return;
        }
        closedTotals.add(s);
        closedSinceFlush.add(s);
        Instant now = clock.instant();
        boolean queued = writer.write(
                CLOSE,
                s.clientId(),
                now,
                endReason,
                s.bytesIn(),
                s.bytesOut(),
                s.linesIn(),
                s.linesOut(),
                s.messagesIn(),
                s.messagesOut(),
                s.id());
        if (!queued) {
            log.warn("session {} closed ({}) but the database queue is full; its counters are lost", s.id(), endReason);
        }
    }

    public Collection<LiveSession> live() {
        return Collections.unmodifiableCollection(live.values());
    }

    /** Traffic of every session since start: the closed ones plus the live ones now. */
    public TrafficTotals.Snapshot totals() {
        TrafficTotals.Snapshot sum = closedTotals.snapshot();
        for (LiveSession s : live.values()) {
            sum = sum.plus(s);
        }
        return sum;
    }

    /** The next session closed since the last call, or null. */
    LiveSession pollClosed() {
        return closedSinceFlush.poll();
    }

    public LiveSession live(long id) {
        return live.get(id);
    }

    /** Cluster mode: where the other nodes' sessions come from. */
    public void elsewhere(SessionsElsewhere others) {
        this.elsewhere = others;
    }

    /** The sessions of every node: this one's live ones, then the others' last published copies. */
    public Collection<LiveSession> everywhere() {
        SessionsElsewhere others = elsewhere;
        if (others == null) {
            return live();
        }
        Collection<LiveSession> remote = others.sessions();
        List<LiveSession> all = new ArrayList<>(live.size() + remote.size());
        all.addAll(live.values());
        all.addAll(remote);
        return all;
    }

    /** Session {@code id}, live here or (cluster mode) on another node; null when neither. */
    public LiveSession anywhere(long id) {
        LiveSession s = live.get(id);
        SessionsElsewhere others = elsewhere;
        return s != null || others == null ? s : others.session(id);
    }

    /**
     * Cluster mode: whether session {@code id} is open on another node by the database
     * (a session younger than that node's last published copies). Blocks on the database:
     * a request thread, never an event loop.
     */
    public boolean openElsewhere(long id) {
        List<String> node = jdbc.queryForList(
                "SELECT node FROM sessions WHERE id = ? AND disconnected_at IS NULL", String.class, id);
        return !node.isEmpty() && node.get(0) != null && !node.get(0).equals(this.node);
    }

    /**
     * Cluster mode: closes the sessions a dead node left open, with {@link #NODE_LOST};
     * returns how many. Blocks on the database: never on an event loop.
     */
    public int closeLost(String deadNode) {
        return jdbc.update(
                "UPDATE sessions SET disconnected_at = ?, end_reason = ? WHERE disconnected_at IS NULL AND node = ?",
                java.sql.Timestamp.from(clock.instant()),
                NODE_LOST,
                deadNode);
    }

    public LatencyProperties latencyThresholds() {
        return latency;
    }
}
