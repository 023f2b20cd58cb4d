package io.chatmsg.chat;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.chatmsg.files.FileStore;
import io.chatmsg.files.StoredFile;
import io.chatmsg.history.MessageLog;
import io.chatmsg.history.StoredMessage;
import io.chatmsg.protocol.ClientIds;
import io.chatmsg.protocol.Lines;
import org.springframework.stereotype.Component;

import static io.chatmsg.chat.Replies.done;

/**
 * The messages and FILE events that waited for a client while it was offline.
 * They are claimed once, inside {@link Presence}'s entry for the id (so every
 * message a sender queued before it is in the claim, and every later one goes
 * live), and delivered as events right after the reply they ride on: the
 * messages oldest first, then the files.
 */
@Component
class OfflineDelivery {

    private static final Response NOTHING = new Response("", 0, 0, false);

    private final Presence presence;
    private final MessageLog log;
    private final FileStore files;

    OfflineDelivery(Presence presence, MessageLog log, FileStore files) {
        this.presence = presence;
        this.log = log;
        this.files = files;
    }

    /**
     * What waited for one id, claimed for one delivery: each future lists it once
     * fetched, oldest first; a null future means nothing of that kind waited.
     */
    record Claim(CompletableFuture<List<StoredMessage>> messages, CompletableFuture<List<StoredFile>> files) {}

    /**
     * Claims what waits for {@code key}; call it inside the presence lock for that id, on
     * the client's own thread. In a cluster the client's {@link ClaimGate} holds what other
     * nodes hand it until the claim is back.
     */
    Claim claim(ChatClient client, String key) {
        CompletableFuture<List<StoredMessage>> messages = claimMessages(client, key);
        CompletableFuture<List<StoredFile>> waitingFiles = files.claimPending(key) ? files.takePending(key) : null;
        return new Claim(messages, waitingFiles);
    }

    /** The messages part of {@link #claim}: null when none can be waiting. */
    CompletableFuture<List<StoredMessage>> claimMessages(ChatClient client, String key) {
        CompletableFuture<List<StoredMessage>> messages = log.claimQueued(key) ? log.takeQueued(key) : null;
        ClaimGate gate = client.gate;
        if (gate != null && messages != null) {
            gate.claiming();
            messages.whenComplete((taken, failure) -> client.connection
                    .executor()
                    .execute(() -> gate.claimed(
                            taken == null
                                    ? List.of()
                                    : taken.stream().map(StoredMessage::id).toList())));
        }
        return messages;
    }

    /**
     * For a connection that defers offline delivery (UDP, where a LOGIN may come
     * from a forged address): the messages and FILE events that waited for the
     * client, once, as events; called when its address has spoken again after LOGIN.
     */
    CompletableFuture<Response> takeOffline(ChatClient client) {
        if (!client.loggedIn()) {
            return done(NOTHING);
        }
        String key = client.key;
        Claim claim = presence.withRecipient(key, c -> claim(client, key));
        return deliver(NOTHING, client.displayId, claim);
    }

    /** {@code head}, then the queued messages and FILE events (oldest first) once fetched; a failed fetch adds none. */
    static CompletableFuture<Response> deliver(Response head, String display, Claim claim) {
        if (claim == null || (claim.messages() == null && claim.files() == null)) {
            return done(head);
        }
        CompletableFuture<List<StoredMessage>> messages =
                claim.messages() == null ? done(List.of()) : claim.messages().exceptionally(e -> List.of());
        CompletableFuture<List<StoredFile>> waitingFiles =
                claim.files() == null ? done(List.of()) : claim.files().exceptionally(e -> List.of());
        return messages.thenCombine(waitingFiles, (queued, fileList) -> {
            StringBuilder text = new StringBuilder(head.text());
            for (StoredMessage m : queued) {
                // Operator broadcasts kept for an offline client still say ALL.
                String to = ClientIds.ALL.equals(m.recipient()) ? ClientIds.ALL : display;
                text.append(Lines.message(m.sender(), to, m.text()));
            }
            for (StoredFile f : fileList) {
                text.append(Lines.file(f.getFromId(), display, f.getId(), f.getSize(), f.getName()));
            }
            return new Response(text.toString(), head.lines() + queued.size() + fileList.size(), queued.size(), false);
        });
    }
}
