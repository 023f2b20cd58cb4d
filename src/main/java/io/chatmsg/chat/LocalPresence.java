package io.chatmsg.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.chatmsg.config.ChatMetrics;
import io.chatmsg.config.ChatProperties;
import io.chatmsg.protocol.ClientIds;
import io.micrometer.core.instrument.FunctionCounter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * {@link Presence} in this process: one {@link ConcurrentHashMap} from folded id to
 * client, whose per-key lock ({@code compute}) is what makes {@link #enter} and
 * {@link #withRecipient} atomic for one id; JOIN/LEAVE go through {@link PresenceEvents}
 * (unless {@code chat.presence.enabled=false}).
 *
 * <p>Today the only {@code Presence} bean, so it is injected by type. Cluster mode will
 * add its implementation beside this one and choose between the two with
 * {@code @ConditionalOnProperty}.
 */
@Component
@ConditionalOnProperty(name = "chat.cluster.enabled", havingValue = "false", matchIfMissing = true)
final class LocalPresence implements Presence {

    private final ConcurrentHashMap<String, ChatClient> online = new ConcurrentHashMap<>();
    private final Collection<ChatClient> clients = Collections.unmodifiableCollection(online.values());
    private final PresenceEvents events = new PresenceEvents();
    private final boolean announce;

    @Autowired
    LocalPresence(ChatProperties properties, ChatMetrics metrics) {
        this(properties.presence().enabled());
        FunctionCounter.builder("chat.presence.skipped", events, PresenceEvents::skipped)
                .description("JOIN/LEAVE lines not sent to clients that were not reading")
                .register(metrics.registry());
    }

    /** {@code announce}: send JOIN and LEAVE to the others. */
    LocalPresence(boolean announce) {
        this.announce = announce;
    }

    @Override
    public CompletableFuture<ChatClient> enter(String key, String display, ChatClient client, Runnable whileEntering) {
        return CompletableFuture.completedFuture(enter(key, client, whileEntering));
    }

    /** {@link #enter(String, String, ChatClient, Runnable)} without the future: here it is decided at once. */
    ChatClient enter(String key, ChatClient client, Runnable whileEntering) {
        return online.compute(key, (k, current) -> {
            if (current != null) {
                return current;
            }
            whileEntering.run();
            return client;
        });
    }

    @Override
    public void abandon(String key, ChatClient client) {
        online.remove(key, client);
    }

    @Override
    public void joined(ChatClient client) {
        if (announce) {
            events.joined(client);
        }
    }

    @Override
    public void left(ChatClient client) {
        online.remove(client.key, client);
        if (announce) {
            events.left(client);
        }
    }

    /** An id held on another node of the cluster came or went: JOIN or LEAVE to the clients here. */
    void changedElsewhere(String key, String display, boolean online) {
        if (announce) {
            events.changedElsewhere(ChatClient.elsewhere(key, display), online);
        }
    }

    @Override
    public void sent(ChatClient sender) {
        events.sent(sender);
    }

    @Override
    public <R> R withRecipient(String key, Function<ChatClient, R> action) {
        Result<R> result = new Result<>();
        online.compute(key, (k, holder) -> {
            result.value = action.apply(holder);
            return holder;
        });
        return result.value;
    }

    @Override
    public ChatClient holder(String key) {
        return online.get(key);
    }

    @Override
    public Iterable<ChatClient> clients() {
        return clients;
    }

    @Override
    public List<String> displayIds() {
        List<String> keys = new ArrayList<>(online.keySet());
        keys.sort(null);
        List<String> ids = new ArrayList<>(keys.size());
        for (String k : keys) {
            ChatClient c = online.get(k);
            String display = c == null ? null : c.displayId;
            if (display != null) {
                ids.add(display);
            }
        }
        return ids;
    }

    @Override
    public int onlineCount() {
        return online.size();
    }

    @Override
    public boolean isOnline(String id) {
        return online.containsKey(ClientIds.fold(id));
    }

    private static final class Result<R> {
        R value;
    }
}
