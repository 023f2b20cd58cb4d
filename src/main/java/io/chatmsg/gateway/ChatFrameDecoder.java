package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chatmsg.protocol.CommandParser;
import io.chatmsg.protocol.Lines;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Line mode and body mode (docs/protocol.md), and the line deadline. In line mode lines are
 * framed as Netty's {@code LineBasedFrameDecoder} frames them, with the maximum length and the
 * discard-to-next-LF of an over-long line (the same rules, kept here: no framer object per
 * connection). A line that is a PUT whose size
 * parses switches to body mode: exactly that many bytes follow, passed on as
 * {@link FileBody} pieces of at most {@value #MAX_PIECE} bytes, whatever the
 * reply to the PUT will be, so the stream stays in sync. The decision is made
 * here, not downstream, so a PUT refused for any reason (rate limit, login,
 * name) still has its body consumed.
 */
final class ChatFrameDecoder extends ByteToMessageDecoder {

    static final int MAX_PIECE = 64 * 1024;

    /**
     * The longest line without its terminator, and the line deadline: one object for every
     * connection of a listener (two fields would make the decoder 8 bytes larger).
     */
    record Limits(int maxLength, long deadlineMillis) {}

    private final Limits limits;
    /** An over-long line is being skipped up to its LF (it has been reported already). */
    private boolean discarding;
    /** Bytes of the current line already looked at for its LF (they have none). */
    private int offset;
    /** Asked about each framed line (docs/protocol.md's rate limit), or null for none. */
    private final RateLimiter limiter;

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
        this(new Limits(maxLineLengthWithoutTerminator, deadlineMillis), limiter);
    }

    /** With a listener's {@code limits}, shared by its connections. */
    ChatFrameDecoder(Limits limits, RateLimiter limiter) {
        this.limits = limits;
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
        if (limits.deadlineMillis() <= 0) {
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
        deadline = ctx.executor().schedule(() -> deadlinePassed(ctx), limits.deadlineMillis(), TimeUnit.MILLISECONDS);
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
        Object frame = nextLine(in);
        if (frame == LineTooLong.INSTANCE) {
            // The line has been skipped, or is being discarded up to its LF.
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
     * Line framing as Netty's {@link io.netty.handler.codec.LineBasedFrameDecoder} does it
     * (LF or CR LF, the terminator stripped, fail fast), without an object of its own per
     * connection: the next line, null while it is incomplete (or being discarded), or
     * {@link LineTooLong} once for a line over the maximum, in its place — the line is then
     * skipped, or discarded up to its LF as its bytes arrive.
     */
    private Object nextLine(ByteBuf in) {
        int eol = endOfLine(in);
        if (!discarding) {
            if (eol >= 0) {
                int length = eol - in.readerIndex();
                int delimiter = in.getByte(eol) == '\r' ? 2 : 1;
                if (length > limits.maxLength()) {
                    in.readerIndex(eol + delimiter);
                    return LineTooLong.INSTANCE;
                }
                ByteBuf frame = in.readRetainedSlice(length);
                in.skipBytes(delimiter);
                return frame;
            }
            if (in.readableBytes() > limits.maxLength()) {
                in.readerIndex(in.writerIndex());
                discarding = true;
                offset = 0;
                return LineTooLong.INSTANCE;
            }
            return null;
        }
        if (eol >= 0) {
            in.readerIndex(eol + (in.getByte(eol) == '\r' ? 2 : 1));
            discarding = false;
        } else {
            in.readerIndex(in.writerIndex());
            offset = 0;
        }
        return null;
    }

    /**
     * The index of the line's end (its CR when a CR LF ends it), or -1. Only bytes from the
     * reader index on count: a CR just before it (the end of a PUT's body) is not this line's.
     */
    private int endOfLine(ByteBuf in) {
        int total = in.readableBytes();
        int i = in.indexOf(in.readerIndex() + offset, in.writerIndex(), (byte) '\n');
        if (i >= 0) {
            offset = 0;
            if (i > in.readerIndex() && in.getByte(i - 1) == '\r') {
                i--;
            }
        } else {
            offset = total;
        }
        return i;
    }
}
