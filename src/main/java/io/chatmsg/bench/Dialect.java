package io.chatmsg.bench;

import io.chatmsg.bench.BenchSettings.Proto;

/**
 * What differs between the servers the generator talks to: the lines a
 * client sends, and what a line from the server means. A dialect writes into
 * a {@link Connection}'s output buffer and tells the engine what it read
 * through {@link Events}; it keeps no state of its own.
 */
interface Dialect {

    static Dialect of(Proto proto, boolean fanout) {
        return proto == Proto.irc ? new IrcDialect(fanout) : new ChatMsgDialect(fanout);
    }

    /**
     * Whether the server acknowledges each message (CHAT-MSG's {@code 200 MSG}).
     * Without, a message is outstanding until delivered (for fan-out: to everyone).
     */
    boolean acknowledges();

    /** Queues the lines that log {@code c} in. */
    void login(Connection c);

    /** Starts a message to {@code to}, or to everyone when null; the payload and {@link #endLine} follow. */
    void startMessage(Connection c, Connection to);

    void endLine(Connection c);

    /** Acts on one line from the server: bytes {@code s..e} of {@code b}, without the line end, read at {@code now}. */
    void line(Connection c, byte[] b, int s, int e, long now, Events events);

    /** What a line meant, for the engine to count and act on. */
    interface Events {

        /** {@code c} is logged in (IRC fan-out: and has joined the channel). */
        void loggedIn(Connection c);

        /** The server took {@code c}'s oldest outstanding message for {@code recipients} clients. */
        void acknowledged(Connection c, long recipients, long now);

        /** The server refused {@code c}'s oldest outstanding message. */
        void refused(Connection c);

        /** A message's text arrived at {@code c}: bytes {@code p..e} of {@code b}. */
        void delivered(Connection c, byte[] b, int p, int e, long now);

        /** An error reply, counted. */
        void error();

        /** The run cannot go on (a client could not log in). */
        void fatal(String why);

        /** The dialect queued bytes on {@code c} (an answer to PING, a JOIN). */
        void wrote(Connection c);
    }
}
