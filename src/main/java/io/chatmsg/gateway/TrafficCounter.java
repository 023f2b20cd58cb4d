package io.chatmsg.gateway;

import io.chatmsg.session.LiveSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts the bytes a session reads and writes, at the head of the pipeline. */
final class TrafficCounter extends ChannelDuplexHandler {

    private final LiveSession session;

    TrafficCounter(LiveSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            session.addBytesIn(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            session.addBytesOut(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
