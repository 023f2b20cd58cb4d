package io.chatmsg.gateway;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chatmsg.protocol.CommandParser;
import io.chatmsg.protocol.Lines;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Line mode and body mode (docs/protocol.md), and the line deadline. In line mode Netty's
 * {@link LineBasedFrameDecoder} frames lines, with the maximum length and the
 * discard-to-next-LF of an over-long line. A line that is a PUT whose size
 * parses switches to body mode: exactly that many bytes follow, passed on as
 * {@link FileBody} pieces of at most {@value #MAX_PIECE} bytes, whatever the
 * reply to the PUT will be, so the stream stays in sync. The decision is made
 * here, not downstream, so a PUT refused for any reason (rate limit, login,
 * name) still has its body consumed.
 */
final class ChatFrameDecoder extends ByteToMessageDecoder {

    static final int MAX_PIECE = 64 * 1024;

    /** Thrown (without a stack) where Netty's framer would fire its TooLongFrameException. */
    private static final class Overlong extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Overlong INSTANCE = new Overlong();

        private Overlong() {
            super("line too long", null, false, false);
        }
    }

    /** The context Netty's framer is given: it only ever reports a failure through it. */
    private static final ChannelHandlerContext SIGNAL = (ChannelHandlerContext) Proxy.newProxyInstance(
            ChatFrameDecoder.class.getClassLoader(), new Class<?>[] {ChannelHandlerContext.class}, (p, m, a) -> {
                if (m.getName().equals("fireExceptionCaught") && a[0] instanceof TooLongFrameException) {
                    throw Overlong.INSTANCE;
                }
                throw new UnsupportedOperationException(m.getName());
            });

    private final LineFramer lines;
    /** Asked about each framed line (docs/protocol.md's rate limit), or null for none. */
    private final RateLimiter limiter;

    private final long deadlineMillis;
    /** The started line's deadline, or null. */
    private ScheduledFuture<?> deadline;
    /** Body bytes still to come; -1 in line mode. */
    private long bodyRemaining = -1;

    private boolean lineOpen;

    /** A framer without a line deadline or rate limit (tests of the framing alone). */
    ChatFrameDecoder(int maxLineLengthWithoutTerminator) {
        this(maxLineLengthWithoutTerminator, 0, null);
    }

    ChatFrameDecoder(int maxLineLengthWithoutTerminator, long deadlineMillis) {
        this(maxLineLengthWithoutTerminator, deadlineMillis, null);
    }

    /**
     * @param deadlineMillis slowloris: a line that has started must end within this
     *     ({@code chat.limits.line-deadline}), however slowly its bytes trickle in (each byte
     *     would otherwise reset the idle timer); 0 for none
     * @param limiter the connection's rate limit: a line it refuses is passed on as
     *     {@link RateLimited} (429 in order), or, for a flood, becomes a {@link CloseRequest}
     *     event; a PUT line's body is read either way. Null for none
     */
    ChatFrameDecoder(int maxLineLengthWithoutTerminator, long deadlineMillis, RateLimiter limiter) {
        this.lines = new LineFramer(maxLineLengthWithoutTerminator);
        this.deadlineMillis = deadlineMillis;
        this.limiter = limiter;
    }

    /**
     * Frames, then looks at where the bytes ended: inside a line, the line's clock runs
     * (started when the line began, restarted by a read that brings a new line);
     * after a line or inside a PUT's body (a stalled upload meets the heartbeat instead),
     * there is no deadline.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        boolean newLine =
                msg instanceof ByteBuf buf && buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) '\n') >= 0;
        super.channelRead(ctx, msg);
        if (deadlineMillis <= 0) {
            return;
        }
        if (!lineOpen) {
            cancelDeadline();
        } else if (deadline == null || newLine) {
            cancelDeadline();
            startDeadline(ctx);
        }
    }

    private void startDeadline(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> deadlinePassed(ctx), deadlineMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Time is up, unless the server itself has stopped reading (backpressure: the rest of
     * the line may be waiting in the socket): then the line gets a new deadline.
     */
    private void deadlinePassed(ChannelHandlerContext ctx) {
        deadline = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            startDeadline(ctx);
            return;
        }
        ctx.fireUserEventTriggered(new CloseRequest(Lines.bye("line timeout"), "line timeout", "line timeout"));
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelDeadline();
    }

    /**
     * True when the bytes read so far end inside a line: part of it is buffered, or
     * it is over-long and being discarded. False after a complete line or inside a body.
     */
    boolean lineOpen() {
        return lineOpen;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (bodyRemaining >= 0) {
            int n = (int) Math.min(Math.min(bodyRemaining, MAX_PIECE), in.readableBytes());
            if (n == 0) {
                return;
            }
            bodyRemaining -= n;
            boolean last = bodyRemaining == 0;
            if (last) {
                bodyRemaining = -1;
            }
            out.add(new FileBody(in.readRetainedSlice(n), last));
            lineOpen = false;
            return;
        }
        Object frame;
        try {
            frame = lines.next(in);
        } catch (Overlong e) {
            // Netty's framer has skipped the line, or started discarding it up to its LF.
            lineOpen = insideLine(in);
            out.add(LineTooLong.INSTANCE);
            return;
        }
        if (frame == null) {
            // Part of a line is buffered, or an over-long line is being discarded (or just was).
            lineOpen = insideLine(in);
            return;
        }
        lineOpen = false;
        ByteBuf line = (ByteBuf) frame;
        long size = putBodySize(line);
        Object refused = limiter == null ? null : limiter.refuse();
        if (refused == null) {
            out.add(line);
        } else {
            line.release();
            if (refused instanceof CloseRequest flood) {
                ctx.fireUserEventTriggered(flood); // after the lines before it, which are out already
            } else if (refused == RateLimited.INSTANCE) {
                out.add(refused);
            }
        }
        if (size == 0) {
            out.add(new FileBody(Unpooled.EMPTY_BUFFER, true));
        } else if (size > 0) {
            bodyRemaining = size;
        }
    }

    /** True when the bytes read so far end inside a line (buffered, or being discarded), not after its LF. */
    private static boolean insideLine(ByteBuf in) {
        int i = in.readerIndex();
        return in.isReadable() || (i > 0 && in.getByte(i - 1) != '\n');
    }

    private static long putBodySize(ByteBuf line) {
        int i = line.readerIndex();
        while (i < line.writerIndex() && line.getByte(i) == ' ') {
            i++;
        }
        if (line.writerIndex() - i < 4
                || (line.getByte(i) | 0x20) != 'p'
                || (line.getByte(i + 1) | 0x20) != 'u'
                || (line.getByte(i + 2) | 0x20) != 't'
                || line.getByte(i + 3) != ' ') {
            return -1;
        }
        return CommandParser.putBodySize(line.toString(StandardCharsets.UTF_8));
    }

    /**
     * Netty's line framer, used as a function rather than as a handler of its own.
     * It reports an over-long line by firing an exception through the context it is
     * given, as its last act before returning; the context it gets here turns that
     * into {@link Overlong}, so the line becomes a {@link LineTooLong} message in
     * order with the lines around it rather than an exception that overtakes them.
     */
    private static final class LineFramer extends LineBasedFrameDecoder {
        LineFramer(int maxLength) {
            super(maxLength, true, true);
        }

        Object next(ByteBuf in) throws Exception {
            ChannelHandlerContext ctx = SIGNAL;
            int start = in.readerIndex();
            if (start == 0 || in.getByte(start - 1) != '\r') {
                return decode(ctx, in);
            }
            // A body ending in CR just before: Netty's framer looks behind the reader index
            // for the CR of a CR LF, and would take an LF here for a line ending before it
            // starts (and fail). A view that starts here has nothing behind it.
            ByteBuf view = in.slice();
            try {
                return decode(ctx, view);
            } finally {
                in.skipBytes(view.readerIndex());
            }
        }
    }
}
