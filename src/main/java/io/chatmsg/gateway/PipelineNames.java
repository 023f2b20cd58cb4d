package io.chatmsg.gateway;

/** Names of the pipeline's handlers, in I/O order (head first). */
final class PipelineNames {

    /** Byte counters: first in, last out, so they see the wire. */
    static final String TRAFFIC = "traffic";
    /** Coalesces the flushes of one read burst into one syscall. */
    static final String FLUSH = "flush-consolidation";
    /** Reader idle time before the server's PING. */
    static final String IDLE = "idle";
    /** LF framing with the maximum line length; over-long lines are discarded to the next LF. */
    static final String FRAMER = "line-framer";
    // Rate limiting (token bucket, 429, BYE flood), the slow-line deadline and the
    // slow-consumer watch join here, between framing and the client handler.
    /** Decodes, parses and executes commands; writes replies in order. */
    static final String CLIENT = "client";

    private PipelineNames() {}
}
