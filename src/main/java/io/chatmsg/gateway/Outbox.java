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
 * The events routed to one client (messages, JOIN/LEAVE, FILE notices): written
 * as they come, never inside a reply, or held back while a LOGIN's offline
 * messages are fetched (they come first) or a GET's bytes go out. A client whose
 * unsent backlog passes three times the slow-consumer mark is dropped rather than
 * let it grow. Event loop only.
 */
final class Outbox {

    private final ChatConnection connection;
    private final ChatMetrics metrics;
    private final long slowConsumerBacklog;
    /** Events held back, or null while they go straight out. */
    private List<OutboundLine> held;

    private long heldBytes;
    /** Where a flush starts: past the pipeline's flush consolidation, which {@link FlushRound} replaces for events. */
    private ChannelHandlerContext flushFrom;
    /** Written since the last flush: this outbox is in its loop's {@link FlushRound}. */
    private boolean unflushed;

    Outbox(ChatConnection connection, ChatMetrics metrics, long slowConsumerBacklog) {
        this.connection = connection;
        this.metrics = metrics;
        this.slowConsumerBacklog = slowConsumerBacklog;
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
            if (!connection.canWrite() && heldBytes > 4 * slowConsumerBacklog) {
                // A download that takes so long that its events pile up: as if unread.
                connection.dropSlowConsumer();
            }
            return;
        }
        if (!ctx.channel().isWritable() && ctx.channel().bytesBeforeWritable() > 3 * slowConsumerBacklog) {
            connection.dropSlowConsumer();
            return;
        }
        LiveSession session = connection.session();
        session.addLinesOut(1);
        session.recordOut(event);
        FlushRound round = unflushed && !event.isMessage() ? null : FlushRound.of(ctx.executor());
        if (event.isMessage()) {
            session.addMessagesOut(1);
            round.delivered(metrics);
        }
        // A void promise: no promise object per delivered line (failures reach exceptionCaught).
        ctx.write(
                event.isShared() ? event.shared(Outbox::offHeap).duplicate() : Unpooled.wrappedBuffer(event.bytes()),
                ctx.voidPromise());
        if (!unflushed) {
            unflushed = true;
            round.written(this);
        }
        if (!ctx.channel().isWritable()) {
            // Past the high water mark: to the socket now, not at the round's end (as flush
            // consolidation does when a channel turns unwritable), so a round's writes to one
            // client never pile up into a slow-consumer drop while it is reading.
            flush();
        }
    }

    /** The end of the loop's round: what was written goes out. */
    void flush() {
        unflushed = false;
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
