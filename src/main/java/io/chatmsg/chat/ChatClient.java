package io.chatmsg.chat;

/**
 * The chat state of one connection: who it is logged in as. Touched only on
 * the connection's own event loop, except {@link #connection} which is final.
 */
public final class ChatClient {

    final Connection connection;
    String key;
    volatile String displayId;
    /** {@link PresenceEvents}'s clock at this client's LOGIN: it gets the changes after it. */
    long presenceSince;
    /** {@link PresenceEvents}'s clock when this client last queued an event for others. */
    long lastSentAt = -1;
    /** REGISTERs this connection may still make; created at its first REGISTER. */
    io.chatmsg.account.TokenBucket registrations;

    ChatClient(Connection connection) {
        this.connection = connection;
    }

    public boolean loggedIn() {
        return key != null;
    }

    public String displayId() {
        return displayId;
    }

    public Connection connection() {
        return connection;
    }
}
