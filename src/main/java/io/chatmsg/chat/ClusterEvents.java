package io.chatmsg.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.chatmsg.files.FileStore;
import io.chatmsg.history.HandOvers;
import io.chatmsg.history.MessageLog;
import io.chatmsg.history.StoredMessage;
import io.chatmsg.protocol.ClientIds;
import io.chatmsg.protocol.OutboundLine;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * What this node does with the events of the other nodes of a cluster: a message or
 * FILE notice handed to one of its clients ({@link #fromInbox}), broadcasts and
 * presence changes every node reads ({@link #fromAll}). Called on the thread that
 * reads the streams; every delivery moves to the recipient's own thread.
 */
@Component
@ConditionalOnProperty(name = "chat.cluster.enabled", havingValue = "true")
public class ClusterEvents {

    /** A queued message younger than this may still be on its way through a stream. */
    static final Duration IN_FLIGHT = Duration.ofSeconds(2);

    private final ClusterPresence presence;
    private final ClusterBus bus;
    private final MessageLog log;
    private final HandOvers handOvers;
    private final FileStore files;
    private final OfflineDelivery offline;
    private final Clock clock;

    ClusterEvents(
            ClusterPresence presence,
            ClusterBus bus,
            MessageLog log,
            HandOvers handOvers,
            FileStore files,
            OfflineDelivery offline,
            Clock clock) {
        this.presence = presence;
        this.bus = bus;
        this.log = log;
        this.handOvers = handOvers;
        this.files = files;
        this.offline = offline;
        this.clock = clock;
    }

    /** An entry of this node's inbox. */
    public void fromInbox(Map<String, String> e) {
        String type = e.get("t");
        String key = e.get("k");
        ChatClient to = key == null ? null : presence.local().holder(key);
        if (to == null || type == null) {
            return; // gone: a message stays queued, a file pending, for its next LOGIN
        }
        if (type.equals("m")) {
            long id = Long.parseLong(e.get("i"));
            OutboundLine line = OutboundLine.message(e.get("f"), e.get("r"), e.get("x"));
            to.connection.executor().execute(() -> handOver(to, key, id, line));
        } else if (type.equals("f")) {
            String fileId = e.get("i");
            OutboundLine line = OutboundLine.event(e.get("l"));
            to.connection.executor().execute(() -> {
                if (key.equals(to.key)) {
                    to.connection.sendInLoop(line);
                    files.notified(fileId);
                }
            });
        }
    }

    /** On the recipient's thread: delivered unless a claim of its queue took it first. */
    private void handOver(ChatClient to, String key, long id, OutboundLine line) {
        ClaimGate gate = to.gate;
        Runnable deliver = () -> {
            if (key.equals(to.key) && (gate == null || !gate.took(id))) {
                to.connection.sendInLoop(line);
                handOvers.markDelivered(id);
            }
        };
        if (gate == null) {
            deliver.run();
        } else {
            gate.deliver(deliver);
        }
    }

    /** An entry every node reads; this node's own are skipped (it acted on them when it wrote them). */
    public void fromAll(Map<String, String> e) {
        String type = e.get("t");
        String node = e.get("n");
        if (type == null || node == null || node.equals(bus.nodeId())) {
            return;
        }
        switch (type) {
            case "m" ->
                LocalMessageRouter.tellOthers(
                        presence.clients(), null, OutboundLine.message(e.get("f"), ClientIds.ALL, e.get("x")));
            case "F" -> LocalMessageRouter.tellOthers(presence.clients(), null, OutboundLine.event(e.get("l")));
            case "s" -> serverBroadcast(e.get("x"), e.get("s"));
            case "j", "l" -> {
                Holder h = new Holder(node, Long.parseLong(e.get("s")), e.get("d"));
                if (type.equals("j")) {
                    presence.joinedElsewhere(h, e.get("k"));
                } else {
                    presence.leftElsewhere(h, e.get("k"));
                }
            }
            default -> {
                // A kind a newer node writes: not for this one.
            }
        }
    }

    private void serverBroadcast(String text, String chosen) {
        Set<Long> ids = null;
        if (!"*".equals(chosen)) {
            ids = new HashSet<>();
            for (String s : chosen.split(",")) {
                ids.add(Long.parseLong(s));
            }
        }
        List<ChatClient> to = new ArrayList<>();
        for (ChatClient c : presence.clients()) {
            if (ids == null || ids.contains(c.connection.session().id())) {
                to.add(c);
            }
        }
        LocalMessageRouter.tellOthers(to, null, OutboundLine.message(ClientIds.SERVER, ClientIds.ALL, text));
    }

    /**
     * Messages left queued for clients online here: handed over while the recipient was
     * between nodes, or never handed over (Redis away, or the sender's node died first).
     * Each such client claims its queue and gets them as events. Blocks on the database:
     * on a scheduler thread, every heartbeat.
     */
    public void redeliver() {
        if (log.backlogged()) {
            // The writer is behind: hand-overs are late, not lost; claims would only add to it.
            return;
        }
        List<String> keys = new ArrayList<>();
        for (ChatClient c : presence.clients()) {
            if (c.key != null && !c.connection.defersOfflineDelivery()) {
                keys.add(c.key);
            }
        }
        for (String key : handOvers.waitingAmong(keys, clock.instant().minus(IN_FLIGHT))) {
            ChatClient c = presence.local().holder(key);
            if (c != null) {
                c.connection.executor().execute(() -> claimAndDeliver(c, key));
            }
        }
    }

    /** On the client's thread: its queue, claimed once, as events. */
    private void claimAndDeliver(ChatClient c, String key) {
        if (!key.equals(c.key) || (c.gate != null && c.gate.busy())) {
            return;
        }
        // Messages only: a FILE notice handed over to a client that had gone waits, not
        // notified, for its next LOGIN (FILE notices are not acknowledged to anyone).
        CompletableFuture<List<StoredMessage>> messages =
                presence.withRecipient(key, holder -> offline.claimMessages(c, key));
        if (messages == null) {
            return;
        }
        messages.thenAccept(taken -> c.connection.executor().execute(() -> {
            if (!key.equals(c.key)) {
                // Gone meanwhile: back in the queue for its next LOGIN, never lost.
                handOvers.requeue(key, taken.stream().map(StoredMessage::id).toList());
                return;
            }
            for (StoredMessage m : taken) {
                String to = ClientIds.ALL.equals(m.recipient()) ? ClientIds.ALL : c.displayId;
                c.connection.sendInLoop(OutboundLine.message(m.sender(), to, m.text()));
            }
        }));
    }
}
