package io.chatmsg.chat;

/**
 * The chat state of one connection: who it is logged in as. Touched only on
 * the connection's own event loop, except {@link #connection} which is final.
 */
public final class ChatClient {

    final Connection connection;
    String key;
    volatile String displayId;
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
