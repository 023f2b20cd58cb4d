package io.chatmsg.chat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

import io.chatmsg.config.ChatMetrics;
import io.chatmsg.files.FileStore;
import io.chatmsg.files.StoredFile;
import io.chatmsg.history.MessageLog;
import io.chatmsg.protocol.ClientIds;
import io.chatmsg.protocol.Lines;
import io.chatmsg.protocol.OutboundLine;
import io.chatmsg.session.LiveSession;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import static io.chatmsg.chat.Replies.BUSY;
import static io.chatmsg.protocol.ReplyCodes.ACCEPTED;
import static io.chatmsg.protocol.ReplyCodes.OK;

/**
 * {@link MessageRouter} in this process: recipients are the {@link Presence}'s
 * clients here, reached through their {@link Connection}s; messages are logged
 * in the {@link MessageLog}, file notices marked in the {@link FileStore}.
 *
 * <p>Today the only {@code MessageRouter} bean, so it is injected by type. Cluster
 * mode will add its implementation beside this one and choose between the two with
 * {@code @ConditionalOnProperty}.
 */
@Component
@ConditionalOnProperty(name = "chat.cluster.enabled", havingValue = "false", matchIfMissing = true)
final class LocalMessageRouter implements MessageRouter {

    private final Presence presence;
    private final MessageLog log;
    private final FileStore files;
    private final Clock clock;
    private final ChatMetrics metrics;

    LocalMessageRouter(Presence presence, MessageLog log, FileStore files, Clock clock, ChatMetrics metrics) {
        this.presence = presence;
        this.log = log;
        this.files = files;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public CompletableFuture<Response> direct(ChatClient client, String recipient, String text) {
        long id = log.nextId();
        Instant now = clock.instant();
        String from = client.displayId;
        Routed routed = presence.withRecipient(ClientIds.fold(recipient), to -> {
            if (to == null) {
                return new Routed(log.appendQueued(id, now, from, recipient, text), false);
            }
            CompletableFuture<Void> stored = log.appendDelivered(id, now, from, recipient, text);
            if (stored.isCompletedExceptionally()) {
                return new Routed(stored, false);
            }
            to.connection.send(OutboundLine.message(from, recipient, text));
            return new Routed(stored, true);
        });
        if (routed.stored.isCompletedExceptionally()) {
            return BUSY;
        }
        if (routed.live) {
            presence.sent(client);
        }
        client.connection.session().addMessagesIn(1);
        metrics.received(false);
        if (!routed.live) {
            metrics.queued();
        }
        Response ack = Response.reply(routed.live ? OK : ACCEPTED, "MSG " + id);
        return routed.stored.handle((v, failure) -> failure == null ? ack : BUSY.join());
    }

    @Override
    public CompletableFuture<Response> toAll(ChatClient client, String text) {
        long id = log.nextId();
        CompletableFuture<Void> stored = log.appendBroadcast(id, clock.instant(), client.displayId, text);
        if (stored.isCompletedExceptionally()) {
            return BUSY;
        }
        int n = tellOthers(presence.clients(), client, OutboundLine.message(client.displayId, ClientIds.ALL, text));
        presence.sent(client);
        client.connection.session().addMessagesIn(1);
        metrics.received(true);
        Response ack = Response.reply(OK, "MSG " + id + " " + n);
        return stored.handle((v, failure) -> failure == null ? ack : BUSY.join());
    }

    @Override
    public CompletableFuture<Broadcast> broadcastFromServer(
            String text, Predicate<LiveSession> who, Collection<String> offlineIds) {
        long id = log.nextId();
        Instant now = clock.instant();
        CompletableFuture<Void> stored = log.appendBroadcast(id, now, ClientIds.SERVER, text);
        if (stored.isCompletedExceptionally()) {
            return stored.thenApply(v -> null);
        }
        OutboundLine line = OutboundLine.message(ClientIds.SERVER, ClientIds.ALL, text);
        int n = 0;
        for (ChatClient c : presence.clients()) {
            if (who.test(c.connection.session())) {
                c.connection.send(line);
                n++;
            }
        }
        List<CompletableFuture<Void>> copies = new ArrayList<>();
        for (String offline : offlineIds) {
            presence.withRecipient(ClientIds.fold(offline), c -> {
                if (c == null) {
                    copies.add(log.appendQueuedBroadcast(log.nextId(), now, offline, text));
                }
                return null;
            });
        }
        copies.add(stored);
        Broadcast result = new Broadcast(id, n, copies.size() - 1);
        return CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new)).thenApply(v -> result);
    }

    @Override
    public int fileSent(ChatClient sender, StoredFile f) {
        OutboundLine line =
                OutboundLine.event(Lines.file(f.getFromId(), f.getToId(), f.getId(), f.getSize(), f.getName()));
        if (f.isBroadcast()) {
            int n = tellOthers(presence.clients(), sender, line);
            presence.sent(sender);
            return n;
        }
        String key = ClientIds.fold(f.getToId());
        int now = presence.withRecipient(key, to -> {
            if (to == null) {
                files.markPending(key);
                return 0;
            }
            to.connection.send(line);
            files.notified(f.getId());
            return 1;
        });
        presence.sent(sender);
        return now;
    }

    /**
     * Sends one line, encoded once, to every one of {@code clients} but {@code except};
     * returns how many. Recipients are grouped by the thread they live on, and each
     * thread gets one task for all of its recipients (not one task per recipient).
     */
    static int tellOthers(Iterable<ChatClient> clients, ChatClient except, OutboundLine line) {
        // A handful of event loops: a linear search by identity beats hashing per recipient.
        List<Executor> threads = new ArrayList<>(8);
        List<List<Connection>> recipients = new ArrayList<>(8);
        // Each thread's list sized for everyone: no growing copies (most servers run a loop or two).
        int everyone = clients instanceof Collection<?> all ? all.size() : 10;
        Executor last = null;
        List<Connection> lastList = null;
        int n = 0;
        for (ChatClient c : clients) {
            if (c == except) {
                continue;
            }
            Executor thread = c.connection.executor();
            if (thread != last) {
                int i = indexOf(threads, thread);
                if (i < 0) {
                    threads.add(thread);
                    recipients.add(new ArrayList<>(everyone));
                    i = threads.size() - 1;
                }
                last = thread;
                lastList = recipients.get(i);
            }
            lastList.add(c.connection);
            n++;
        }
        if (n > 1) {
            line.share();
        }
        for (int i = 0; i < threads.size(); i++) {
            List<Connection> mine = recipients.get(i);
            // Queued even on the sender's own thread, as Connection.send queues a direct
            // message: each client gets one sender's events in the order they were sent.
            threads.get(i).execute(() -> {
                for (Connection r : mine) {
                    r.sendInLoop(line);
                }
            });
        }
        return n;
    }

    private static int indexOf(List<Executor> threads, Executor thread) {
        for (int i = 0; i < threads.size(); i++) {
            if (threads.get(i) == thread) {
                return i;
            }
        }
        return -1;
    }

    /** What a routing decision taken inside the presence lock left behind. */
    private record Routed(CompletableFuture<Void> stored, boolean live) {}
}
