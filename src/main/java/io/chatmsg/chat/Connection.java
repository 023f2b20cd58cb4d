package io.chatmsg.chat;

import java.util.concurrent.Executor;

import io.chatmsg.protocol.OutboundLine;
import io.chatmsg.session.LiveSession;

/**
 * What the chat service needs of a connection, whatever carries it (TCP, TLS,
 * later UDP). Implemented by the gateway; every method may be called from any
 * thread and never blocks.
 */
public interface Connection {

    LiveSession session();

    /**
     * Queues an event for this client: always through {@link #executor()}'s task queue,
     * where a broadcast's share is queued too, so one sender's events arrive in order.
     */
    void send(OutboundLine event);

    /**
     * Writes an event now; only on {@link #executor()}. A broadcast hands each event
     * loop one task for all its recipients instead of one task per recipient.
     */
    default void sendInLoop(OutboundLine event) {
        send(event);
    }

    /**
     * False while the client is not reading what is sent to it (its unsent backlog is
     * above the slow-consumer mark): presence changes skip it rather than pile up.
     */
    default boolean keepingUp() {
        return true;
    }

    /**
     * The thread the connection's commands run on: work that left it (a password
     * check) comes back through this before it touches the client's state.
     */
    Executor executor();

    /**
     * The common name of a client certificate verified against {@code chat.tls.client-ca},
     * or null (no TLS, no certificate, or no client CA configured).
     */
    default String certificateId() {
        return null;
    }

    /**
     * True when messages queued while the client was offline must not ride on the
     * LOGIN's reply but wait for {@link ChatService#takeOffline} (UDP: see docs/protocol.md).
     */
    default boolean defersOfflineDelivery() {
        return false;
    }
}
