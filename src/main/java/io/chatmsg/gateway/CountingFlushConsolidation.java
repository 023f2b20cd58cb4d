package io.chatmsg.gateway;

import io.chatmsg.session.LiveSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * The plain listener's head: Netty's {@link FlushConsolidationHandler} (the flushes of one
 * read burst become one syscall) that also counts the bytes the session reads and writes,
 * as {@link TrafficCounter} does. Without TLS both sit next to each other at the head and
 * see the same bytes, so one handler context serves both (a context less per connection).
 * The TLS listener keeps them apart: bytes are counted encrypted, before the SslHandler,
 * and flushes consolidated after it.
 */
final class CountingFlushConsolidation extends FlushConsolidationHandler {

    private final LiveSession session;

    CountingFlushConsolidation(LiveSession session) {
        super(256, true);
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            session.addBytesIn(buf.readableBytes());
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            session.addBytesOut(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
