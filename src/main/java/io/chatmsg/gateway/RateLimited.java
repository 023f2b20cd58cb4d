package io.chatmsg.gateway;

/** Passed on by the framer in place of a line the {@link RateLimiter} refused: the client handler answers 429 in order. */
enum RateLimited {
    INSTANCE
}
