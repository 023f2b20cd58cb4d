package io.chatmsg.gateway;

/** Passed on by {@link RateLimiter} in place of a line it refused: the client handler answers 429 in order. */
enum RateLimited {
    INSTANCE
}
