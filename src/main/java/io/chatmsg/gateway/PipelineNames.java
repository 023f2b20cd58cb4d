package io.chatmsg.gateway;

/** Names of the pipeline's handlers, in I/O order (head first). */
final class PipelineNames {

    /**
     * Byte counters: first in, last out, so they see the wire. TLS listener only: on the plain
     * listener the flush consolidation counts the bytes ({@link CountingFlushConsolidation}).
     */
    static final String TRAFFIC = "traffic";
    /** TLS listener only: Netty's SslHandler (TLS 1.2/1.3; handshake timeout 10 s). */
    static final String TLS = "tls";
    /** TLS listener only: a verified client certificate's common name becomes a channel attribute; then it leaves. */
    static final String CLIENT_CERTIFICATE = "client-certificate";
    /**
     * Coalesces the flushes of one read burst into one syscall. On the plain listener it is
     * first in the pipeline and also counts the bytes in and out.
     */
    static final String FLUSH = "flush-consolidation";
    /** The first bytes: a TLS handshake or an HTTP request on the plain port is answered and closed. */
    static final String SNIFFER = "protocol-sniffer";
    /**
     * LF framing with the maximum line length; over-long lines are discarded to the next LF.
     * After a PUT line, its body's bytes as {@link FileBody} pieces. Slowloris: a started
     * line must end within the line deadline. The rate limit (a token bucket per connection:
     * 429 for the excess, BYE flood for a client that keeps going) is asked about each line here.
     */
    static final String FRAMER = "line-framer";
    /**
     * Netty's FlowControlHandler: while the server has paused reading, what one read had
     * already framed waits here, in order, and is handed on one message per read. In the
     * pipeline (before the command handler) only while reading is stopped: see {@link ReadPause}.
     */
    static final String FLOW_CONTROL = "flow-control";
    /** Closes a connection that has not logged in in time; leaves the pipeline at LOGIN. */
    static final String LOGIN_DEADLINE = "login-deadline";
    /**
     * A client above the outbound high water mark for longer than the grace is closed. In the
     * pipeline only while the channel is above the mark (the command handler adds it).
     */
    static final String SLOW_CONSUMER = "slow-consumer";
    /**
     * Decodes and parses lines, runs commands, writes their replies in order (with the
     * connection object that events, the heartbeat and the operator go through). Last in
     * the pipeline: it hands every exception to the shared {@link ErrorHandler}.
     */
    static final String COMMANDS = "commands";

    private PipelineNames() {}
}
