package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netty's flow-control handler joins the pipeline when reading stops (what the read had
 * already framed waits in it, in order) and leaves when reading is on again and it has
 * handed everything on.
 */
class ReadPauseTests {

    private final List<String> ran = new ArrayList<>();
    private ChannelHandlerContext commandsContext;

    /** Stands in for the command handler: a line "wait" stops reading. */
    private final ChannelInboundHandlerAdapter commands = new ChannelInboundHandlerAdapter() {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            commandsContext = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            String line = ((ByteBuf) msg).toString(StandardCharsets.US_ASCII);
            ((ByteBuf) msg).release();
            ran.add(line);
            if (line.startsWith("wait")) {
                ReadPause.stop(ctx);
            }
        }
    };

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(PipelineNames.FRAMER, new ChatFrameDecoder(4095));
        ch.pipeline().addLast(PipelineNames.COMMANDS, commands);
        return ch;
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void whatOneReadFramedWaitsWhileReadingIsStoppedThenGoesOnInOrderAndTheHandlerLeaves() {
        EmbeddedChannel ch = channel();
        assertThat(ReadPause.holding(ch.pipeline()))
                .as("reading normally: no handler")
                .isFalse();

        ch.writeInbound(bytes("a\nwait\nb\nc\n"));
        assertThat(ran).containsExactly("a", "wait");
        assertThat(ReadPause.holding(ch.pipeline())).isTrue();
        assertThat(ch.pipeline().names()).containsSubsequence(PipelineNames.FLOW_CONTROL, PipelineNames.COMMANDS);

        ReadPause.resume(commandsContext);
        assertThat(ran).containsExactly("a", "wait", "b", "c");
        assertThat(ReadPause.holding(ch.pipeline())).as("all handed on: gone").isFalse();
        assertThat(ch.config().isAutoRead()).isTrue();

        ch.writeInbound(bytes("d\n"));
        assertThat(ran).endsWith("d");
        ch.finishAndReleaseAll();
    }

    @Test
    void aMessageThatStopsReadingAgainKeepsTheRestWaiting() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("wait1\nb\nwait2\nc\n"));
        assertThat(ran).containsExactly("wait1");

        ReadPause.resume(commandsContext);
        assertThat(ran).containsExactly("wait1", "b", "wait2");
        assertThat(ReadPause.holding(ch.pipeline())).as("c still waits").isTrue();

        ReadPause.resume(commandsContext);
        assertThat(ran).containsExactly("wait1", "b", "wait2", "c");
        assertThat(ReadPause.holding(ch.pipeline())).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void whatWaitsIsReleasedWhenTheConnectionCloses() {
        EmbeddedChannel ch = channel();
        ByteBuf read = bytes("wait\nPUT bob 5 x.txt\nhello");
        ch.writeInbound(read);
        assertThat(ran).containsExactly("wait");
        ch.close();
        assertThat(read.refCnt()).isZero();
    }
}
