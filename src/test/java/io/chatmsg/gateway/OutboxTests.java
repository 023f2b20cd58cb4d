package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.chatmsg.config.ChatMetrics;
import io.chatmsg.protocol.OutboundLine;
import io.chatmsg.session.LiveSession;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events of one client: gathered in the loop's round and written as one buffer at
 * its end, never after a reply written later, per line to a client that lags, and at
 * once when a round grows past its bound.
 */
class OutboxTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ChatMetrics metrics = new ChatMetrics(registry);
    private final List<Owner> owners = new ArrayList<>();

    @AfterEach
    void close() {
        owners.forEach(o -> o.channel.finishAndReleaseAll());
    }

    @Test
    void aRoundsEventsGoOutAsOneWriteAtItsEnd() {
        Owner a = owner();
        a.outbox.deliver(OutboundLine.message("x", "ALL", "one"));
        a.outbox.deliver(OutboundLine.message("x", "ALL", "two"));
        a.outbox.deliver(OutboundLine.event("JOIN y\r\n"));
        assertThat(a.channel.outboundMessages())
                .as("nothing before the round ends")
                .isEmpty();

        a.channel.runPendingTasks();

        assertThat(writes(a)).containsExactly("MSG x ALL one\r\nMSG x ALL two\r\nJOIN y\r\n");
        assertThat(a.session.linesOut()).isEqualTo(3);
        assertThat(a.session.messagesOut()).isEqualTo(2);
        assertThat(delivered()).isEqualTo(2);

        // The next round is a write of its own.
        a.outbox.deliver(OutboundLine.message("x", "ALL", "three"));
        a.channel.runPendingTasks();
        assertThat(writes(a)).containsExactly("MSG x ALL three\r\n");
    }

    @Test
    void eachClientGetsItsOwnChainOfTheRound() {
        Owner a = owner();
        Owner b = owner();
        OutboundLine shared = OutboundLine.message("x", "ALL", "both");
        shared.share();
        a.outbox.deliver(shared);
        b.outbox.deliver(OutboundLine.message("x", b.name, "b only"));
        b.outbox.deliver(shared);
        a.outbox.deliver(OutboundLine.message("x", a.name, "a only"));

        // Two embedded channels, two loops on this thread: each runs its own round.
        a.channel.runPendingTasks();
        b.channel.runPendingTasks();

        assertThat(writes(a)).containsExactly("MSG x ALL both\r\nMSG x " + a.name + " a only\r\n");
        assertThat(writes(b)).containsExactly("MSG x " + b.name + " b only\r\nMSG x ALL both\r\n");
    }

    @Test
    void aReplyWrittenLaterNeverOvertakesTheRoundsEvents() {
        Owner a = owner();
        a.outbox.deliver(OutboundLine.message("x", "ALL", "before"));
        // What ChatConnection does for a reply: the round's events first, then the reply.
        a.outbox.writePending();
        a.context.writeAndFlush(Unpooled.copiedBuffer("200 OK\r\n", StandardCharsets.UTF_8));
        a.outbox.deliver(OutboundLine.message("x", "ALL", "after"));
        a.channel.runPendingTasks();

        assertThat(writes(a)).containsExactly("MSG x ALL before\r\n", "200 OK\r\n", "MSG x ALL after\r\n");
    }

    @Test
    void aClientThatLagsGetsEachLineAsADuplicateOfTheSharedCopy() {
        Owner a = owner();
        OutboundLine first = OutboundLine.message("x", "ALL", "one");
        OutboundLine second = OutboundLine.message("x", "ALL", "two");
        first.share();
        second.share();
        // Not writable (as above the high water mark), yet far from the slow-consumer cut-off.
        a.channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        a.outbox.deliver(first);
        a.outbox.deliver(second);
        a.channel.runPendingTasks();

        assertThat(writes(a)).containsExactly("MSG x ALL one\r\n", "MSG x ALL two\r\n");
        assertThat(a.dropped).isFalse();
    }

    @Test
    void aRoundPastItsBoundEndsAtOnce() {
        Owner a = owner();
        String text = "y".repeat(4000);
        int size = OutboundLine.message("x", "ALL", text).bytes().length;
        int lines = (FlushRound.MAX_BYTES + size - 1) / size; // the last one reaches the bound
        for (int i = 0; i < lines; i++) {
            a.outbox.deliver(OutboundLine.message("x", "ALL", text));
        }
        // Written (and flushed) before the round's task came.
        List<String> early = writes(a);
        assertThat(early).hasSize(1);
        assertThat(early.get(0).length()).isGreaterThanOrEqualTo(FlushRound.MAX_BYTES);

        a.outbox.deliver(OutboundLine.message("x", "ALL", "next"));
        a.channel.runPendingTasks();
        assertThat(writes(a)).containsExactly("MSG x ALL next\r\n");
        assertThat(delivered()).isEqualTo(lines + 1);
    }

    @Test
    void nothingIsWrittenAfterTheLastLine() {
        Owner a = owner();
        a.outbox.deliver(OutboundLine.message("x", "ALL", "routed"));
        a.lastLineWritten = true; // the client was dropped while the round went on
        a.channel.runPendingTasks();
        assertThat(a.channel.outboundMessages()).isEmpty();
    }

    @Test
    void heldEventsWaitAndThenJoinTheRoundInOrder() {
        Owner a = owner();
        a.outbox.hold();
        a.outbox.deliver(OutboundLine.message("x", "ALL", "one"));
        a.outbox.deliver(OutboundLine.message("x", "ALL", "two"));
        a.channel.runPendingTasks();
        assertThat(a.channel.outboundMessages()).isEmpty();

        a.outbox.release();
        a.channel.runPendingTasks();
        assertThat(writes(a)).containsExactly("MSG x ALL one\r\nMSG x ALL two\r\n");
    }

    private double delivered() {
        return registry.get("chat.messages.delivered").counter().count();
    }

    private static List<String> writes(Owner o) {
        List<String> out = new ArrayList<>();
        for (Object m; (m = o.channel.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) m;
            out.add(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out;
    }

    private Owner owner() {
        Owner o = new Owner("c" + owners.size());
        owners.add(o);
        return o;
    }

    /** A connection as far as an outbox sees it, on a real (embedded) channel. */
    private final class Owner implements Outbox.Owner {
        final String name;
        final EmbeddedChannel channel = new EmbeddedChannel(new ChannelDuplexHandler());
        final ChannelHandlerContext context = channel.pipeline().firstContext();
        final LiveSession session = TestSettings.session();
        final Outbox outbox = new Outbox(this, metrics, 1 << 20);
        boolean lastLineWritten;
        boolean dropped;

        Owner(String name) {
            this.name = name;
        }

        @Override
        public ChannelHandlerContext context() {
            return context;
        }

        @Override
        public LiveSession session() {
            return session;
        }

        @Override
        public boolean lastLineWritten() {
            return lastLineWritten;
        }

        @Override
        public boolean canWrite() {
            return true;
        }

        @Override
        public void dropSlowConsumer() {
            dropped = true;
        }
    }
}
