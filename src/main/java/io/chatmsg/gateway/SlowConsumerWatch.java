package io.chatmsg.gateway;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Above the high water mark ({@code chat.limits.slow-consumer-backlog}) the client
 * is not keeping up: if it is still there after {@code slow-consumer-grace}, it
 * is closed (and the {@link Outbox} closes it at once at three times the mark),
 * so one stuck reader never grows the heap without bound.
 */
final class SlowConsumerWatch extends ChannelInboundHandlerAdapter {

    /** The connection, which closes when it does not read. */
    interface Reader {
        /** It does not read, so a BYE would never arrive: leave the chat and close now. */
        void dropSlowConsumer();
    }

    private final Reader connection;
    private final long graceMillis;
    private ScheduledFuture<?> deadline;

    SlowConsumerWatch(Reader connection, GatewaySettings settings) {
        this.connection = connection;
        this.graceMillis = settings.slowConsumerGrace().toMillis();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        if (!writable && deadline == null) {
            deadline = ctx.executor().schedule(() -> passed(ctx), graceMillis, TimeUnit.MILLISECONDS);
        } else if (writable && deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void passed(ChannelHandlerContext ctx) {
        deadline = null;
        if (!ctx.channel().isWritable()) {
            connection.dropSlowConsumer();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        ctx.fireChannelInactive();
    }
}
