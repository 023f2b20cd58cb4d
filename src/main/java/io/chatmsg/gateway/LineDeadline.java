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
 * before framing. A PUT's body is not a line: while the framer is in body mode
 * there is no deadline (a stalled upload meets the heartbeat instead). While the
 * server has paused reading (backpressure), the deadline waits.
 */
final class LineDeadline extends ChannelInboundHandlerAdapter {

    private final long deadlineMillis;
    private ScheduledFuture<?> timer;

    private final ChatFrameDecoder framer;

    LineDeadline(GatewaySettings settings, ChatFrameDecoder framer) {
        this.deadlineMillis = settings.lineDeadline().toMillis();
        this.framer = framer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        boolean newLine = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) '\n') >= 0;
        // The framer runs now, within this call: afterwards it knows whether these
        // bytes ended inside a line (rather than after one, or inside a PUT's body).
        ctx.fireChannelRead(msg);
        if (!framer.lineOpen()) {
            cancel();
        } else if (timer == null || newLine) {
            // A new line starts in this read: its clock starts now.
            cancel();
            start(ctx);
        }
    }

    private void start(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> passed(ctx), deadlineMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Time is up, unless the server itself has stopped reading (backpressure: the rest of
     * the line may be waiting in the socket): then the line gets a new deadline.
     */
    private void passed(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            start(ctx);
            return;
        }
        ctx.fireUserEventTriggered(new CloseRequest(Lines.bye("line timeout"), "line timeout", "line timeout"));
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
