package io.chatmsg.gateway;

/** Names of the pipeline's handlers, in I/O order (head first). */
final class PipelineNames {

    /** Byte counters: first in, last out, so they see the wire. */
    static final String TRAFFIC = "traffic";
    /** TLS listener only: Netty's SslHandler (TLS 1.2/1.3; handshake timeout 10 s). */
    static final String TLS = "tls";
    /** Coalesces the flushes of one read burst into one syscall. */
    static final String FLUSH = "flush-consolidation";
    /** Reader idle time before the server's PING. */
    static final String IDLE = "idle";
    /** The first bytes: a TLS handshake or an HTTP request on the plain port is answered and closed. */
    static final String SNIFFER = "protocol-sniffer";
    /** Slowloris: a started line must end in time. */
    static final String LINE_DEADLINE = "line-deadline";
    /**
     * LF framing with the maximum line length; over-long lines are discarded to the next LF.
     * After a PUT line, its body's bytes as {@link FileBody} pieces.
     */
    static final String FRAMER = "line-framer";
    /** Token bucket per connection: 429 for the excess, BYE flood for a client that keeps going. */
    static final String RATE_LIMIT = "rate-limit";
    /**
     * Decodes, parses and executes commands; writes replies in order; heartbeat,
     * login deadline and the slow-consumer watch.
     */
    static final String CLIENT = "client";

    private PipelineNames() {}
}
