package io.chatmsg.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.chatmsg.config.ChatMetrics;
import io.chatmsg.config.ChatProperties;
import io.chatmsg.protocol.ClientIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * {@link Presence} of one node of a cluster. The clients here are a {@link LocalPresence}
 * as on a single node (its lock still orders a LOGIN here against messages sent here);
 * which node holds each id is decided in Redis ({@link ClusterBus#claim}), so an id
 * online on one node gets 409 on every other. The ids held elsewhere are mirrored
 * here from the JOIN and LEAVE events every node reads ({@link #joinedElsewhere},
 * {@link #leftElsewhere}) and from a full read now and then ({@link #resync}): WHO,
 * counts and routing read the mirror, never Redis.
 *
 * <p>While Redis cannot be reached a LOGIN here is decided here alone (this node's
 * clients keep talking); {@link #reassert} claims those ids in Redis when it returns.
 */
@Component
@ConditionalOnProperty(name = "chat.cluster.enabled", havingValue = "true")
public final class ClusterPresence implements Presence {

    private static final Logger log = LoggerFactory.getLogger(ClusterPresence.class);

    private final LocalPresence local;
    private final ClusterBus bus;
    private final ConcurrentHashMap<String, Holder> elsewhere = new ConcurrentHashMap<>();

    ClusterPresence(ChatProperties properties, ChatMetrics metrics, ClusterBus bus) {
        this.local = new LocalPresence(properties, metrics);
        this.bus = bus;
    }

    LocalPresence local() {
        return local;
    }

    /** The holder of {@code key} on another node, or null. */
    Holder elsewhere(String key) {
        return elsewhere.get(key);
    }

    /** Whether session {@code session} here holds id {@code key} now. */
    public boolean holdsHere(String key, long session) {
        ChatClient c = local.holder(key);
        return c != null && c.connection.session().id() == session;
    }

    /** How many ids other nodes hold. */
    public int onlineElsewhere() {
        return elsewhere.size();
    }

    private Holder mine(ChatClient client, String display) {
        return new Holder(bus.nodeId(), client.connection.session().id(), display);
    }

    @Override
    public CompletableFuture<ChatClient> enter(String key, String display, ChatClient client, Runnable whileEntering) {
        ChatClient here = local.holder(key);
        if (here != null) {
            return CompletableFuture.completedFuture(here);
        }
        client.gate = new ClaimGate();
        Holder me = mine(client, display);
        return bus.claim(key, me.format())
                .exceptionally(redisAway -> "")
                .thenApplyAsync(
                        current -> {
                            if (!current.isEmpty()) {
                                Holder other = Holder.parse(current);
                                return ChatClient.elsewhere(key, other == null ? display : other.display());
                            }
                            ChatClient holder = local.enter(key, client, whileEntering);
                            if (holder != client) {
                                bus.release(key, me.format());
                            } else {
                                client.claimedAs = me.format();
                            }
                            return holder;
                        },
                        client.connection.executor());
    }

    @Override
    public void abandon(String key, ChatClient client) {
        local.abandon(key, client);
        release(key, client);
    }

    private void release(String key, ChatClient client) {
        String claimed = client.claimedAs;
        client.claimedAs = null;
        if (claimed != null) {
            bus.release(key, claimed);
        }
    }

    @Override
    public void joined(ChatClient client) {
        local.joined(client);
        bus.toAll(Map.of(
                "t",
                "j",
                "n",
                bus.nodeId(),
                "k",
                client.key,
                "s",
                Long.toString(client.connection.session().id()),
                "d",
                client.displayId));
    }

    @Override
    public void left(ChatClient client) {
        String key = client.key;
        String display = client.displayId;
        local.left(client);
        Holder me = mine(client, display);
        release(key, client);
        bus.toAll(Map.of("t", "l", "n", bus.nodeId(), "k", key, "s", Long.toString(me.session()), "d", display));
    }

    @Override
    public void sent(ChatClient sender) {
        local.sent(sender);
    }

    @Override
    public <R> R withRecipient(String key, Function<ChatClient, R> action) {
        return local.withRecipient(key, action);
    }

    @Override
    public ChatClient holder(String key) {
        ChatClient here = local.holder(key);
        if (here != null) {
            return here;
        }
        Holder h = elsewhere.get(key);
        return h == null ? null : ChatClient.elsewhere(key, h.display());
    }

    @Override
    public Iterable<ChatClient> clients() {
        return local.clients();
    }

    @Override
    public List<String> displayIds() {
        TreeMap<String, String> all = new TreeMap<>();
        elsewhere.forEach((k, h) -> all.put(k, h.display()));
        for (ChatClient c : local.clients()) {
            String display = c.displayId;
            if (display != null && c.key != null) {
                all.put(c.key, display);
            }
        }
        return new ArrayList<>(all.values());
    }

    @Override
    public int onlineCount() {
        return local.onlineCount() + elsewhere.size();
    }

    @Override
    public boolean isOnline(String id) {
        String key = ClientIds.fold(id);
        return local.holder(key) != null || elsewhere.containsKey(key);
    }

    /** Another node's client logged in: mirrored, and JOIN to the clients here. */
    void joinedElsewhere(Holder h, String key) {
        if (h.node().equals(bus.nodeId())) {
            return;
        }
        Holder before = elsewhere.put(key, h);
        if (before == null) {
            local.changedElsewhere(key, h.display(), true);
        }
    }

    /** Another node's client left (or its node died): LEAVE to the clients here. */
    void leftElsewhere(Holder h, String key) {
        if (h.node().equals(bus.nodeId())) {
            return;
        }
        Holder current = elsewhere.get(key);
        if (current != null
                && current.node().equals(h.node())
                && current.session() == h.session()
                && elsewhere.remove(key, current)) {
            local.changedElsewhere(key, current.display(), false);
        }
    }

    /**
     * Replaces the mirror with a full read of who holds what ({@code all}: key to
     * {@link Holder#format}), telling the clients here what changed: after a start,
     * after Redis was away, and now and then in case an event was missed.
     */
    public void resync(Map<String, String> all) {
        Map<String, Holder> now = new java.util.HashMap<>();
        all.forEach((key, value) -> {
            Holder h = Holder.parse(value);
            if (h != null && !h.node().equals(bus.nodeId())) {
                now.put(key, h);
            }
        });
        for (Map.Entry<String, Holder> e : elsewhere.entrySet()) {
            Holder h = now.get(e.getKey());
            if (h == null || h.session() != e.getValue().session()) {
                leftElsewhere(e.getValue(), e.getKey());
            }
        }
        now.forEach((key, h) -> joinedElsewhere(h, key));
    }

    /**
     * Redis is back (or this node was declared dead meanwhile): every id held here is
     * claimed again. An id another node took meanwhile is the other's: {@code lost}
     * runs for each such client here (it is closed).
     */
    public void reassert(java.util.function.BiConsumer<ChatClient, String> lost) {
        for (ChatClient c : local.clients()) {
            String key = c.key;
            String display = c.displayId;
            if (key == null || display == null) {
                continue;
            }
            Holder me = mine(c, display);
            String value = c.claimedAs != null ? c.claimedAs : me.format();
            bus.claim(key, value).whenComplete((current, failure) -> {
                if (failure == null && !current.isEmpty()) {
                    Holder other = Holder.parse(current);
                    log.warn("{} logged in on node {} while Redis was away: closing it here", display, other);
                    lost.accept(c, other == null ? "another node" : other.node());
                } else if (failure == null) {
                    bus.toAll(Map.of(
                            "t", "j", "n", bus.nodeId(), "k", key, "s", Long.toString(me.session()), "d", display));
                }
            });
        }
    }
}
