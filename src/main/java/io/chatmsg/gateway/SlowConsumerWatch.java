package io.chatmsg.gateway;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Above the high water mark ({@code chat.limits.slow-consumer-backlog}) the client
 * is not keeping up: if it is still there after {@code slow-consumer-grace}, it
 * is closed (and the {@link Outbox} closes it at once at three times the mark),
 * so one stuck reader never grows the heap without bound. It is in the pipeline
 * only while the channel is above the mark: {@link #watch} puts it there when the
 * channel turns unwritable, and it leaves when the channel is writable again (an
 * idle connection pays nothing for it).
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

    /**
     * From the handler at {@code ctx}, on a writability change: an unwritable channel gets a
     * watch, before that handler, whose grace starts now (unless one is there already).
     */
    static void watch(ChannelHandlerContext ctx, Reader connection, GatewaySettings settings) {
        if (!ctx.channel().isWritable()
                && ctx.channel().isActive()
                && ctx.pipeline().get(PipelineNames.SLOW_CONSUMER) == null) {
            ctx.pipeline()
                    .addBefore(ctx.name(), PipelineNames.SLOW_CONSUMER, new SlowConsumerWatch(connection, settings));
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            start(ctx);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        if (!writable) {
            start(ctx);
        } else {
            cancel();
        }
        ctx.fireChannelWritabilityChanged();
        // Below the mark again: gone until the next time. Unless what the event ran meanwhile
        // (the command handler's waiting commands) put it above the mark once more: then the
        // watch stays, with the grace that new event started.
        if (writable && !ctx.isRemoved() && ctx.channel().isWritable()) {
            ctx.pipeline().remove(this);
        }
    }

    private void start(ChannelHandlerContext ctx) {
        if (deadline == null) {
            deadline = ctx.executor().schedule(() -> passed(ctx), graceMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void passed(ChannelHandlerContext ctx) {
        deadline = null;
        if (!ctx.channel().isWritable()) {
            connection.dropSlowConsumer();
        }
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}
