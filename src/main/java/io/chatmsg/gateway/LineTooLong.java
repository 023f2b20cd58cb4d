package io.chatmsg.gateway;

/**
 * Passed on by {@link ChatFrameDecoder} in place of a line over the length limit
 * (discarded up to its LF): the command handler answers 413 in order with the
 * replies before it.
 */
enum LineTooLong {
    INSTANCE
}
