package io.chatmsg.chat;

import io.chatmsg.protocol.OutboundLine;
import io.chatmsg.session.LiveSession;

/**
 * What the chat service needs of a connection, whatever carries it (TCP, TLS,
 * later UDP). Implemented by the gateway; every method may be called from any
 * thread and never blocks.
 */
public interface Connection {

    LiveSession session();

    /** Queues an event for this client. */
    void send(OutboundLine event);
}
