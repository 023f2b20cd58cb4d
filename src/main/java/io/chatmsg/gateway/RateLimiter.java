package io.chatmsg.gateway;

import io.chatmsg.protocol.Lines;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * A token bucket per connection over command lines (docs/protocol.md): a
 * burst of {@code chat.limits.command-burst} and {@code command-rate} per
 * second. A line over the limit is dropped and answered 429 (not executed); a
 * client that keeps going past {@code flood-threshold} refusals within ten
 * seconds is closed with {@code BYE flood}.
 */
final class RateLimiter extends ChannelInboundHandlerAdapter {

    private static final long FLOOD_WINDOW_NANOS = 10_000_000_000L;

    private final double ratePerNano;
    private final double burst;
    private final int floodThreshold;
    private double tokens;
    private long last = System.nanoTime();
    private long windowStart = last;
    private int refusedInWindow;
    private boolean closing;

    RateLimiter(GatewaySettings settings) {
        this.ratePerNano = settings.commandRate() / 1e9;
        this.burst = settings.commandBurst();
        this.floodThreshold = settings.floodThreshold();
        this.tokens = burst;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            // A PUT's body (the PUT line itself was the command that was counted), or an
            // over-long line, discarded unread.
            ctx.fireChannelRead(msg);
            return;
        }
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            ctx.fireChannelRead(msg);
            return;
        }
        ((ByteBuf) msg).release();
        if (closing) {
            return;
        }
        if (now - windowStart > FLOOD_WINDOW_NANOS) {
            windowStart = now;
            refusedInWindow = 0;
        }
        if (++refusedInWindow > floodThreshold) {
            closing = true;
            ctx.fireUserEventTriggered(new CloseRequest(Lines.bye("flood"), "flood", "flood"));
            return;
        }
        ctx.fireChannelRead(RateLimited.INSTANCE);
    }
}
