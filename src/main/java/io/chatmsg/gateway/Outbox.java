package io.chatmsg.gateway;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.chatmsg.config.ChatMetrics;
import io.chatmsg.protocol.OutboundLine;
import io.chatmsg.session.LiveSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

/**
 * The events routed to one client (messages, JOIN/LEAVE, FILE notices): gathered
 * in the loop's {@link FlushRound} and written together at its end (or before the
 * next reply, never inside one), or held back while a LOGIN's offline
 * messages are fetched (they come first) or a GET's bytes go out. A client whose
 * unsent backlog passes three times the slow-consumer mark is dropped rather than
 * let it grow. Event loop only.
 */
final class Outbox {

    /** What an outbox needs of its connection ({@link ChatConnection}). */
    interface Owner {
        ChannelHandlerContext context();

        LiveSession session();

        /** The last line is out (or the client was dropped): nothing more is written. */
        boolean lastLineWritten();

        /** False while a GET's bytes go out. */
        boolean canWrite();

        void dropSlowConsumer();
    }

    private final Owner connection;
    private final ChatMetrics metrics;
    private final int slowConsumerBacklog;
    /** Events held back, or null while they go straight out. */
    private List<OutboundLine> held;

    private int heldBytes;
    /** This round's events for this client, not yet written: a chain in the loop's {@link FlushRound}, or -1. */
    private int first = -1;

    private int last = -1;
    /** Where a flush starts: past the pipeline's flush consolidation, which {@link FlushRound} replaces for events. */
    private ChannelHandlerContext flushFrom;
    /** Routed to since the last flush: this outbox is in its loop's {@link FlushRound}. */
    private boolean unflushed;

    Outbox(Owner connection, ChatMetrics metrics, long slowConsumerBacklog) {
        this.connection = connection;
        this.metrics = metrics;
        // An int (4 bytes less per connection): a quarter of the largest is far past any backlog.
        this.slowConsumerBacklog = (int) Math.min(slowConsumerBacklog, Integer.MAX_VALUE / 4);
    }

    /** From now on events wait. */
    void hold() {
        if (held == null) {
            held = new ArrayList<>();
        }
    }

    /** The events that waited go out, in order. */
    void release() {
        if (held != null) {
            List<OutboundLine> events = held;
            held = null;
            heldBytes = 0;
            events.forEach(this::deliver);
        }
    }

    void deliver(OutboundLine event) {
        ChannelHandlerContext ctx = connection.context();
        if (connection.lastLineWritten() || !ctx.channel().isActive()) {
            return;
        }
        if (held != null) {
            held.add(event);
            heldBytes += event.bytes().length;
            if (!connection.canWrite() && heldBytes > 4L * slowConsumerBacklog) {
                // A download that takes so long that its events pile up: as if unread.
                connection.dropSlowConsumer();
            }
            return;
        }
        if (!ctx.channel().isWritable() && ctx.channel().bytesBeforeWritable() > 3L * slowConsumerBacklog) {
            connection.dropSlowConsumer();
            return;
        }
        LiveSession session = connection.session();
        session.addLinesOut(1);
        session.recordOut(event);
        FlushRound round = FlushRound.of(ctx.executor());
        if (event.isMessage()) {
            session.addMessagesOut(1);
            round.delivered(metrics);
        }
        int at = round.append(event, last);
        if (first < 0) {
            first = at;
        }
        last = at;
        if (!unflushed) {
            unflushed = true;
            round.written(this);
        }
        if (round.full()) {
            round.run();
        }
    }

    /**
     * The events of this round not yet written go to the channel now (before a reply or
     * the last line, so nothing overtakes them), unflushed. Several become one buffer,
     * copied while the channel takes what it is given; a client that lags gets each line
     * as a duplicate of the one copy every recipient shares, so what waits for it holds
     * no copies of its own.
     */
    void writePending() {
        int from = first;
        if (from < 0) {
            return;
        }
        first = -1;
        last = -1;
        ChannelHandlerContext ctx = connection.context();
        if (connection.lastLineWritten() || !ctx.channel().isActive()) {
            return;
        }
        FlushRound round = FlushRound.of(ctx.executor());
        int size = 0;
        int n = 0;
        for (int at = from; at >= 0; at = round.next(at)) {
            size += round.line(at).bytes().length;
            n++;
        }
        // A void promise: no promise object per write (failures reach exceptionCaught).
        if (n > 1 && ctx.channel().isWritable()) {
            ByteBuf all = ctx.alloc().directBuffer(size);
            for (int at = from; at >= 0; at = round.next(at)) {
                all.writeBytes(round.line(at).bytes());
            }
            ctx.write(all, ctx.voidPromise());
            return;
        }
        for (int at = from; at >= 0; at = round.next(at)) {
            OutboundLine event = round.line(at);
            ctx.write(
                    event.isShared()
                            ? event.shared(Outbox::offHeap).duplicate()
                            : Unpooled.wrappedBuffer(event.bytes()),
                    ctx.voidPromise());
        }
    }

    /** The end of the loop's round: what was routed here goes out. */
    void flush() {
        unflushed = false;
        writePending();
        if (flushFrom == null) {
            ChannelHandlerContext ctx = connection.context();
            ChannelHandlerContext consolidation = ctx.pipeline().context(PipelineNames.FLUSH);
            flushFrom = consolidation != null ? consolidation : ctx;
        }
        flushFrom.flush();
    }

    /**
     * One off-heap copy of a line with many recipients, freed by the garbage collector
     * with the line (release is a no-op on it, so a recipient that drops its duplicate
     * unwritten cannot free it under the others).
     */
    private static ByteBuf offHeap(byte[] bytes) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
    }
}
