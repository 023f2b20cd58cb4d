package io.chatmsg.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.chatmsg.chat.ClusterEvents;
import io.chatmsg.chat.ClusterPresence;
import io.chatmsg.chat.Holder;
import io.chatmsg.config.ClusterProperties;
import io.chatmsg.protocol.Lines;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionControl;
import io.chatmsg.session.SessionRecorder;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Liveness of the nodes, run every {@code chat.cluster.heartbeat} on one thread:
 * <ul>
 *   <li>renews this node's {@code node:<id>} (its {@link NodeInfo}, expiring after
 *       {@code node-timeout}) and publishes its sessions with their counters;
 *   <li>reads the other nodes' and their sessions ({@link RemoteSessions});
 *   <li>a node whose key has expired is dead: the one node that takes its short lock
 *       removes its ids from presence (LEAVE everywhere), closes its sessions in the
 *       database ({@code node lost}) and leaves a mark for it;
 *   <li>after Redis was away: claims this node's ids again, or, if the others found
 *       this node dead meanwhile (the mark), closes its clients rather than keep
 *       phantom presence;
 *   <li>hands clients here any message left waiting for them ({@link ClusterEvents#redeliver}).
 * </ul>
 * Blocking Redis and database calls are fine here: never an event loop.
 */
final class NodeRegistry {

    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final TypeReference<List<RemoteSessions.Copy>> COPIES = new TypeReference<>() {};
    /** Presence is read whole every this many heartbeats, in case an event was missed. */
    private static final int RESYNC_EVERY = 10;

    private final RedisBus bus;
    private final ClusterKeys keys;
    private final ClusterProperties properties;
    private final SessionRecorder sessions;
    private final ClusterPresence presence;
    private final ClusterEvents events;
    private final RemoteSessions remote;
    private final JsonMapper json;
    private final Clock clock;
    private final java.util.function.IntSupplier chatPort;
    private final Instant startedAt;
    private final String host;

    private volatile List<NodeInfo> nodes = List.of();
    private volatile Instant lastHeartbeat;
    private volatile boolean redisAway;
    private int beats;

    NodeRegistry(
            RedisBus bus,
            ClusterProperties properties,
            SessionRecorder sessions,
            ClusterPresence presence,
            ClusterEvents events,
            RemoteSessions remote,
            JsonMapper json,
            Clock clock,
            java.util.function.IntSupplier chatPort) {
        this.bus = bus;
        this.keys = bus.keys();
        this.properties = properties;
        this.sessions = sessions;
        this.presence = presence;
        this.events = events;
        this.remote = remote;
        this.json = json;
        this.clock = clock;
        this.chatPort = chatPort;
        this.startedAt = clock.instant();
        this.host = hostAddress();
    }

    private static String hostAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /** At start, before any client: a mark from an earlier life of this node id is old news. */
    synchronized void register() {
        try {
            await(bus.commands().del(keys.swept(bus.nodeId())));
            beat();
            resync();
        } catch (RuntimeException e) {
            log.warn("cluster: first heartbeat failed ({}); retrying every heartbeat", e.getMessage());
        }
    }

    /** One heartbeat (the scheduler's thread). */
    synchronized void tick() {
        try {
            boolean wasAway = redisAway;
            beat();
            if (wasAway) {
                cameBack();
            }
            readOthers();
            if (++beats % RESYNC_EVERY == 0) {
                resync();
            }
        } catch (RuntimeException e) {
            if (!redisAway) {
                log.warn(
                        "cluster: Redis cannot be reached ({}); clients here keep talking among themselves,"
                                + " messages to other nodes wait in the database",
                        e.getMessage());
            }
            redisAway = true;
        }
        try {
            events.redeliver();
        } catch (RuntimeException e) {
            log.debug("cluster: redelivery skipped: {}", e.getMessage());
        }
    }

    private void beat() {
        RedisAsyncCommands<String, String> redis = bus.commands();
        Instant now = clock.instant();
        List<RemoteSessions.Copy> mine = new ArrayList<>();
        int loggedIn = 0;
        for (LiveSession s : sessions.live()) {
            mine.add(RemoteSessions.Copy.of(s));
            if (s.clientId() != null) {
                loggedIn++;
            }
        }
        NodeInfo me = new NodeInfo(
                bus.nodeId(), host + ":" + port(), startedAt.toString(), now.toString(), mine.size(), loggedIn);
        long ttl = properties.nodeTimeout().toMillis();
        await(redis.set(keys.node(bus.nodeId()), json.writeValueAsString(me), SetArgs.Builder.px(ttl)));
        await(redis.sadd(keys.nodes(), bus.nodeId()));
        await(redis.set(keys.sessions(bus.nodeId()), json.writeValueAsString(mine), SetArgs.Builder.px(ttl)));
        lastHeartbeat = now;
        redisAway = false;
    }

    /** Redis answers again: either this node was found dead meanwhile, or it claims its ids again. */
    /** The chat port, once the gateway listens (0 before). */
    private int port() {
        try {
            return chatPort.getAsInt();
        } catch (RuntimeException notYet) {
            return 0;
        }
    }

    private void cameBack() {
        String mark = await(bus.commands().get(keys.swept(bus.nodeId())));
        if (mark != null) {
            log.warn(
                    "cluster: the other nodes found this node dead at {} while Redis was away;"
                            + " closing its clients so that they reconnect",
                    mark);
            await(bus.commands().del(keys.swept(bus.nodeId())));
            for (LiveSession s : sessions.live()) {
                SessionControl c = s.control();
                if (c != null) {
                    c.close(Lines.bye("node lost its cluster"), SessionRecorder.NODE_LOST);
                }
            }
            return;
        }
        log.info("cluster: Redis answers again; claiming this node's ids again");
        presence.reassert((client, otherNode) -> {
            LiveSession s = client.connection().session();
            SessionControl c = s.control();
            if (c != null) {
                c.close(Lines.kicked("logged in on node " + otherNode), "id taken on " + otherNode);
            }
        });
        resync();
    }

    /**
     * Presence read whole: the mirror of the other nodes' ids is corrected, and an id
     * Redis still gives to a session of this node that has ended (its release failed while
     * Redis was away, or an earlier life of this node left it) is released, with a LEAVE.
     */
    private void resync() {
        Map<String, String> all = await(bus.commands().hgetall(keys.presence()));
        presence.resync(all);
        all.forEach((key, value) -> {
            Holder h = Holder.parse(value);
            // A session still live here may be between its claim and its entry (a LOGIN under way).
            if (h != null
                    && h.node().equals(bus.nodeId())
                    && sessions.live(h.session()) == null
                    && !presence.holdsHere(key, h.session())) {
                bus.release(key, value);
                bus.toAll(Map.of(
                        "t", "l", "n", bus.nodeId(), "k", key, "s", Long.toString(h.session()), "d", h.display()));
            }
        });
    }

    private void readOthers() {
        RedisAsyncCommands<String, String> redis = bus.commands();
        List<NodeInfo> live = new ArrayList<>();
        Map<String, List<RemoteSessions.Copy>> theirs = new HashMap<>();
        for (String node : await(redis.smembers(keys.nodes()))) {
            String info = await(redis.get(keys.node(node)));
            if (info == null) {
                if (!node.equals(bus.nodeId())) {
                    sweep(node);
                }
                continue;
            }
            live.add(json.readValue(info, NodeInfo.class));
            if (!node.equals(bus.nodeId())) {
                String published = await(redis.get(keys.sessions(node)));
                theirs.put(node, published == null ? List.of() : json.readValue(published, COPIES));
            }
        }
        live.sort(Comparator.comparing(NodeInfo::nodeId));
        nodes = List.copyOf(live);
        remote.replace(theirs, sessions.latencyThresholds());
    }

    /** A dead node: cleaned up by whichever survivor takes the lock first. */
    private void sweep(String dead) {
        RedisAsyncCommands<String, String> redis = bus.commands();
        String locked = await(redis.set(
                keys.sweepLock(dead),
                bus.nodeId(),
                SetArgs.Builder.nx().px(Duration.ofSeconds(30).toMillis())));
        if (!"OK".equals(locked)) {
            return;
        }
        int ids = 0;
        for (Map.Entry<String, String> e : await(redis.hgetall(keys.presence())).entrySet()) {
            Holder h = Holder.parse(e.getValue());
            if (h != null && h.node().equals(dead)) {
                bus.release(e.getKey(), e.getValue());
                bus.toAll(Map.of(
                        "t", "l", "n", dead, "k", e.getKey(), "s", Long.toString(h.session()), "d", h.display()));
                ids++;
            }
        }
        int closed = sessions.closeLost(dead);
        await(redis.set(
                keys.swept(dead),
                clock.instant().toString(),
                SetArgs.Builder.px(Duration.ofDays(1).toMillis())));
        await(redis.del(keys.sessions(dead)));
        await(redis.srem(keys.nodes(), dead));
        log.warn(
                "cluster: node {} is dead (silent for {} s): {} ids offline, {} sessions closed as '{}'",
                dead,
                properties.nodeTimeout().toSeconds(),
                ids,
                closed,
                SessionRecorder.NODE_LOST);
    }

    /** At shutdown, after the clients were told: the others need not wait for the timeout. */
    void deregister() {
        try {
            RedisAsyncCommands<String, String> redis = bus.commands();
            await(redis.del(keys.node(bus.nodeId()), keys.sessions(bus.nodeId())));
            await(redis.srem(keys.nodes(), bus.nodeId()));
        } catch (RuntimeException e) {
            log.debug("cluster: could not deregister: {}", e.getMessage());
        }
    }

    /** The live nodes at the last heartbeat, this one included, by id. */
    List<NodeInfo> nodes() {
        return nodes;
    }

    boolean redisAway() {
        return redisAway;
    }

    Instant lastHeartbeat() {
        return lastHeartbeat;
    }

    private static <T> T await(RedisFuture<T> f) {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from Redis in " + WAIT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
