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

    /** A LOGIN waits for the other nodes of the cluster (on the client's own thread). */
    boolean entering;
    /** Cluster mode only: what this client's claim of its id wrote to Redis, to release exactly that. */
    String claimedAs;
    /** Cluster mode only: holds what other nodes hand this client while its offline queue is claimed. */
    ClaimGate gate;

    ChatClient(Connection connection) {
        this.connection = connection;
    }

    /** An id held on another node of the cluster: its key and display id, no connection here. */
    static ChatClient elsewhere(String key, String display) {
        ChatClient c = new ChatClient(null);
        c.key = key;
        c.displayId = display;
        return c;
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
