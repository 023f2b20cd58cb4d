package io.chatmsg.chat;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import io.chatmsg.files.StoredFile;
import io.chatmsg.session.LiveSession;

/**
 * Carries messages and file notices to the clients they are for: now, to those
 * online, or at their next LOGIN. Every method is called on the sender's own
 * thread (or a request thread for the operator's) and never blocks; the
 * futures complete once what was stored is durable.
 *
 * <p>For one recipient the choice between "send now" and "keep for LOGIN" is
 * made inside {@link Presence#withRecipient}, so it cannot fall between a
 * recipient's entry and its claim of the offline queue.
 *
 * <p>The seam for cluster mode, with {@link Presence}: {@link LocalMessageRouter}
 * is this process's implementation, a Spring bean injected by this type; a
 * cluster implementation will be added beside it and the two chosen with
 * {@code @ConditionalOnProperty}, without touching the gateway or the dashboard.
 */
public interface MessageRouter {

    /** The result of an operator broadcast: the logged message, how many got it now, how many will at LOGIN. */
    record Broadcast(long messageId, int recipients, int queued) {}

    /**
     * {@code MSG <recipient> <text>} from a logged-in client to a known id ({@code recipient}
     * as first registered): {@code 200 MSG <id>} once stored if it was sent now, {@code 202}
     * if it waits for the recipient's LOGIN, {@code 503} if it could not be stored.
     */
    CompletableFuture<Response> direct(ChatClient sender, String recipient, String text);

    /** {@code MSG ALL <text>} from a logged-in client: {@code 200 MSG <id> <n>}, n = clients it reached. */
    CompletableFuture<Response> toAll(ChatClient sender, String text);

    /**
     * {@code MSG SERVER ALL <text>} to every logged-in client whose session {@code who}
     * accepts, logged as a message from SERVER; copies are queued for each of
     * {@code offlineIds} that is still offline. Completes once everything is committed.
     */
    CompletableFuture<Broadcast> broadcastFromServer(
            String text, Predicate<LiveSession> who, Collection<String> offlineIds);

    /**
     * A file is stored: its recipient gets the FILE event now if online, else at its
     * next LOGIN; a file to ALL goes to every logged-in client but the sender.
     * Returns how many got it now.
     */
    int fileSent(ChatClient sender, StoredFile f);
}
