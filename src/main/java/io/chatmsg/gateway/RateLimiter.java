package io.chatmsg.gateway;

import io.chatmsg.protocol.Lines;

/**
 * A token bucket per connection over command lines (docs/protocol.md): a
 * burst of {@code chat.limits.command-burst} and {@code command-rate} per
 * second. A line over the limit is dropped and answered 429 (not executed); a
 * client that keeps going past {@code flood-threshold} refusals within ten
 * seconds is closed with {@code BYE flood}. Not a handler of its own: the
 * {@link ChatFrameDecoder} asks it about each line it frames (one handler context
 * less per connection), so a line is counted when it is read, as before.
 */
final class RateLimiter {

    /** Asks the connection to close: the client kept going past the flood threshold. */
    static final CloseRequest FLOOD = new CloseRequest(Lines.bye("flood"), "flood", "flood");

    private static final long FLOOD_WINDOW_NANOS = 10_000_000_000L;

    private final GatewaySettings settings;
    private double tokens;
    private long last = System.nanoTime();
    private long windowStart = last;
    private int refusedInWindow;
    private boolean closing;

    RateLimiter(GatewaySettings settings) {
        this.settings = settings;
        this.tokens = settings.commandBurst();
    }

    /**
     * A framed command line: {@code null} when it may run; else what takes its place —
     * {@link RateLimited#INSTANCE} (429 in order), {@link #FLOOD} once (the connection is asked
     * to close), then {@link Boolean#FALSE} (dropped silently). A refused line is not released
     * here: the caller does.
     */
    Object refuse() {
        long now = System.nanoTime();
        tokens = Math.min(settings.commandBurst(), tokens + (now - last) * (settings.commandRate() / 1e9));
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return null;
        }
        if (closing) {
            return Boolean.FALSE;
        }
        if (now - windowStart > FLOOD_WINDOW_NANOS) {
            windowStart = now;
            refusedInWindow = 0;
        }
        if (++refusedInWindow > settings.floodThreshold()) {
            closing = true;
            return FLOOD;
        }
        return RateLimited.INSTANCE;
    }
}
