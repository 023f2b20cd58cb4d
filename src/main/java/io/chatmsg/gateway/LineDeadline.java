package io.chatmsg.gateway;

import java.util.concurrent.TimeUnit;

import io.chatmsg.protocol.Lines;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Slowloris: a line that has started must end within
 * {@code chat.limits.line-deadline}, however slowly its bytes trickle in
 * (each byte would otherwise reset the idle timer). Watches the raw bytes,
 * before framing.
 */
final class LineDeadline extends ChannelInboundHandlerAdapter {

    private final long deadlineMillis;
    private ScheduledFuture<?> timer;

    LineDeadline(GatewaySettings settings) {
        this.deadlineMillis = settings.lineDeadline().toMillis();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        int n = buf.readableBytes();
        if (n > 0) {
            boolean endsLine = buf.getByte(buf.readerIndex() + n - 1) == '\n';
            if (endsLine) {
                cancel();
            } else if (timer == null || buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) '\n') >= 0) {
                // A new line starts in this read: its clock starts now.
                cancel();
                timer = ctx.executor()
                        .schedule(
                                () -> {
                                    timer = null;
                                    ctx.fireUserEventTriggered(new CloseRequest(
                                            Lines.bye("line timeout"), "line timeout", "line timeout"));
                                },
                                deadlineMillis,
                                TimeUnit.MILLISECONDS);
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}
