package io.chatmsg.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import io.chatmsg.config.ChatMetrics;
import io.chatmsg.files.FileStore;
import io.chatmsg.files.StoredFile;
import io.chatmsg.history.MessageLog;
import io.chatmsg.protocol.ClientIds;
import io.chatmsg.protocol.Lines;
import io.chatmsg.protocol.OutboundLine;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionRecorder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import static io.chatmsg.chat.Replies.BUSY;
import static io.chatmsg.protocol.ReplyCodes.OK;

/**
 * {@link MessageRouter} of one node of a cluster. A recipient here, or offline, is
 * routed as on a single node ({@link LocalMessageRouter}). A recipient on another
 * node: the message is committed to the offline queue first, acknowledged
 * {@code 200}, then handed to that node's inbox (one stream entry), which delivers it
 * and takes it out of the queue; if the recipient has gone meanwhile it simply stays
 * queued for its next LOGIN, or for {@link ClusterEvents#redeliver} to find. A
 * broadcast is one entry every node reads, whatever the number of recipients.
 */
@Component
@ConditionalOnProperty(name = "chat.cluster.enabled", havingValue = "true")
final class ClusterRouter implements MessageRouter {

    private final ClusterPresence presence;
    private final LocalMessageRouter here;
    private final ClusterBus bus;
    private final MessageLog log;
    private final SessionRecorder sessions;
    private final Clock clock;
    private final ChatMetrics metrics;

    ClusterRouter(
            ClusterPresence presence,
            ClusterBus bus,
            MessageLog log,
            FileStore files,
            SessionRecorder sessions,
            Clock clock,
            ChatMetrics metrics,
            TaskScheduler scheduler) {
        this.presence = presence;
        this.here = new LocalMessageRouter(presence.local(), log, files, clock, metrics);
        this.bus = bus;
        this.log = log;
        this.sessions = sessions;
        this.clock = clock;
        this.metrics = metrics;
        log.shareQueue();
        log.renewIdsEvery(Duration.ofSeconds(1), scheduler);
        files.shareNotices();
    }

    @Override
    public CompletableFuture<Response> direct(ChatClient client, String recipient, String text) {
        String key = ClientIds.fold(recipient);
        if (presence.local().holder(key) != null) {
            return here.direct(client, recipient, text);
        }
        Holder there = presence.elsewhere(key);
        if (there != null) {
            return handOver(client, there, key, recipient, text);
        }
        // Offline as far as this node's mirror knows; it may lag a LOGIN elsewhere by the
        // time an event takes, so Redis decides (as on one node: 200 right after that LOGIN).
        return bus.holder(key)
                .exceptionally(redisAway -> null)
                .thenComposeAsync(
                        current -> {
                            Holder h = Holder.parse(current);
                            return h == null || h.node().equals(bus.nodeId())
                                    ? here.direct(client, recipient, text)
                                    : handOver(client, h, key, recipient, text);
                        },
                        client.connection.executor());
    }

    /** To a recipient on another node: queued here first, then handed to that node's inbox. */
    private CompletableFuture<Response> handOver(
            ChatClient client, Holder there, String key, String recipient, String text) {
        long id = log.nextId();
        String from = client.displayId;
        CompletableFuture<Void> stored = log.appendQueued(id, clock.instant(), from, recipient, text);
        if (stored.isCompletedExceptionally()) {
            return BUSY;
        }
        presence.sent(client);
        client.connection.session().addMessagesIn(1);
        metrics.received(false);
        Response ack = Response.reply(OK, "MSG " + id);
        // Handed over once committed: the other node takes it out of the queue when it delivers.
        return stored.handle((v, failure) -> {
            if (failure != null) {
                return BUSY.join();
            }
            bus.toNode(
                    there.node(),
                    Map.of("t", "m", "i", Long.toString(id), "k", key, "f", from, "r", recipient, "x", text));
            return ack;
        });
    }

    @Override
    public CompletableFuture<Response> toAll(ChatClient client, String text) {
        long id = log.nextId();
        CompletableFuture<Void> stored = log.appendBroadcast(id, clock.instant(), client.displayId, text);
        if (stored.isCompletedExceptionally()) {
            return BUSY;
        }
        int n = LocalMessageRouter.tellOthers(
                presence.clients(), client, OutboundLine.message(client.displayId, ClientIds.ALL, text));
        presence.sent(client);
        bus.toAll(Map.of("t", "m", "n", bus.nodeId(), "f", client.displayId, "x", text));
        n += presence.onlineElsewhere();
        client.connection.session().addMessagesIn(1);
        metrics.received(true);
        Response ack = Response.reply(OK, "MSG " + id + " " + n);
        return stored.handle((v, failure) -> failure == null ? ack : BUSY.join());
    }

    @Override
    public CompletableFuture<Broadcast> broadcastFromServer(
            String text, Predicate<LiveSession> who, Collection<String> offlineIds) {
        List<String> offlineEverywhere = offlineIds.stream()
                .filter(id -> presence.elsewhere(ClientIds.fold(id)) == null)
                .toList();
        CompletableFuture<Broadcast> local = here.broadcastFromServer(text, who, offlineEverywhere);
        if (local.isCompletedExceptionally()) {
            return local;
        }
        // The other nodes' sessions are tested here, on their published copies: the entry
        // names the chosen sessions, or * when every logged-in one elsewhere is chosen.
        StringBuilder chosen = new StringBuilder();
        int elsewhere = 0;
        int chosenElsewhere = 0;
        for (LiveSession s : sessions.everywhere()) {
            if (s.clientId() == null || bus.nodeId().equals(s.node())) {
                continue;
            }
            elsewhere++;
            if (who.test(s)) {
                chosenElsewhere++;
                chosen.append(chosen.isEmpty() ? "" : ",").append(s.id());
            }
        }
        if (chosenElsewhere > 0) {
            bus.toAll(Map.of(
                    "t",
                    "s",
                    "n",
                    bus.nodeId(),
                    "x",
                    text,
                    "s",
                    chosenElsewhere == elsewhere ? "*" : chosen.toString()));
        }
        int more = chosenElsewhere;
        return local.thenApply(b -> new Broadcast(b.messageId(), b.recipients() + more, b.queued()));
    }

    @Override
    public int fileSent(ChatClient sender, StoredFile f) {
        String line = Lines.file(f.getFromId(), f.getToId(), f.getId(), f.getSize(), f.getName());
        if (f.isBroadcast()) {
            int n = here.fileSent(sender, f);
            bus.toAll(Map.of("t", "F", "n", bus.nodeId(), "l", line));
            return n + presence.onlineElsewhere();
        }
        String key = ClientIds.fold(f.getToId());
        Holder there = presence.local().holder(key) == null ? presence.elsewhere(key) : null;
        if (there == null) {
            return here.fileSent(sender, f);
        }
        // Pending in the database until the other node tells its client (FileStore.notified).
        bus.toNode(there.node(), Map.of("t", "f", "i", f.getId(), "k", key, "l", line));
        presence.sent(sender);
        return 1;
    }
}
