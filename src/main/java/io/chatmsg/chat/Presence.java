package io.chatmsg.chat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Who is online where, and the {@code JOIN}/{@code LEAVE} events that tell the others.
 * An id (folded: {@link io.chatmsg.protocol.ClientIds#fold}) is held by at most one
 * client at a time; a second {@link #enter} of a held id gets the holder back (409).
 *
 * <p>The seam for cluster mode: {@link LocalPresence} is this process's
 * implementation, a Spring bean injected by this type. A cluster implementation
 * will be a second bean beside it, the two chosen with {@code @ConditionalOnProperty};
 * the gateway and the dashboard reach presence only through {@link ChatService},
 * so they do not change. It comes with its {@link MessageRouter}: routing is the
 * other half of "where is this id".
 *
 * <p>The one ordering promise, which both offline delivery and routing build on:
 * what runs inside {@link #enter} and {@link #withRecipient} for one id runs
 * atomically with respect to each other and to that id's leave. A sender
 * therefore either sees the recipient online, or has queued its message before
 * the recipient's entry claims its offline queue.
 */
public interface Presence {

    /**
     * Makes {@code client} the holder of {@code key} unless another client holds it,
     * running {@code whileEntering} atomically with the entry (not when refused) on the
     * client's own thread. The id is not announced yet: see {@link #joined}.
     *
     * @param display the id as it will be shown (for the other nodes of a cluster)
     * @return the holder once known (at once here; after a round trip to the other nodes
     *     in a cluster), on the client's own thread: {@code client} itself when it entered,
     *     else the other client, whose {@link ChatClient#displayId()} is all that is known of it
     */
    CompletableFuture<ChatClient> enter(String key, String display, ChatClient client, Runnable whileEntering);

    /** Takes back an {@link #enter} that did not become a login (never announced). */
    void abandon(String key, ChatClient client);

    /** {@code client} has entered and has its id (on its own thread): the others get JOIN. */
    void joined(ChatClient client);

    /** {@code client} gives up its id (on its own thread, still holding its key): the others get LEAVE. */
    void left(ChatClient client);

    /**
     * {@code sender} has just queued an event for others (after queuing it): its later
     * JOIN or LEAVE must not overtake it.
     */
    void sent(ChatClient sender);

    /**
     * Runs {@code action} with the client holding {@code key}, or null when the id is
     * offline, atomically with that id's {@link #enter} and leave (see the class comment).
     * The action must be short and must not block: it holds up that id's LOGIN.
     */
    <R> R withRecipient(String key, Function<ChatClient, R> action);

    /** The client holding {@code key}, or null. */
    ChatClient holder(String key);

    /** Every client online here, in no particular order; a live view for one pass. */
    Iterable<ChatClient> clients();

    /** The display ids of the clients online, sorted by folded id (WHO). */
    List<String> displayIds();

    int onlineCount();

    /** {@code id} in any case. */
    boolean isOnline(String id);
}
