package io.chatmsg.account;

import java.time.Duration;
import java.time.Instant;

/**
 * Up to {@code burst} tokens, one more earned each {@code interval}. Not
 * thread-safe: one connection's bucket stays on its event loop, an address's
 * is used under its own lock.
 */
public final class TokenBucket {

    private final int burst;
    private final Duration interval;
    private double tokens;
    private Instant last;

    TokenBucket(int burst, Duration interval, Instant now) {
        this.burst = burst;
        this.interval = interval;
        this.tokens = burst;
        this.last = now;
    }

    /** Null when a token is there to take, else how long until one will be. */
    Duration wait(Instant now) {
        refill(now);
        if (tokens >= 1) {
            return null;
        }
        return Duration.ofNanos((long) Math.ceil((1 - tokens) * interval.toNanos()));
    }

    void take() {
        tokens--;
    }

    /** Full again: as good as forgotten. */
    boolean full(Instant now) {
        refill(now);
        return tokens >= burst;
    }

    private void refill(Instant now) {
        if (now.isAfter(last)) {
            double earned = (double) Duration.between(last, now).toNanos() / interval.toNanos();
            tokens = Math.min(burst, tokens + earned);
            last = now;
        }
    }
}
