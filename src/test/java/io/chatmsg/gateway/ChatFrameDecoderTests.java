package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The framer on an EmbeddedChannel: cases the fuzzer found, kept as plain tests; over-long lines; the line deadline. */
class ChatFrameDecoderTests {

    @Test
    void aLineFeedRightAfterABodyEndingInCarriageReturnIsAnEmptyLine() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChatFrameDecoder(4095));
        try {
            // Body "ab\r", then "\n" ends an empty line; Netty's line framer used to look
            // back at the body's CR, take the line to start before itself, and fail.
            ch.writeInbound(ascii("PUT bob 3 x.txt\r\nab\r\nPING after\r\n"));

            assertThat(line(ch.readInbound())).isEqualTo("PUT bob 3 x.txt");
            FileBody body = ch.readInbound();
            assertThat(body.data().toString(StandardCharsets.US_ASCII)).isEqualTo("ab\r");
            assertThat(body.last()).isTrue();
            body.data().release();
            assertThat(line(ch.readInbound())).isEmpty();
            assertThat(line(ch.readInbound())).isEqualTo("PING after");
            assertThat((Object) ch.readInbound()).isNull();
        } finally {
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void theSameInPiecesAsTheNetworkMightCutIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChatFrameDecoder(4095));
        try {
            ch.writeInbound(ascii("PUT bob 1 x.txt\r\n"));
            ch.writeInbound(ascii("\r"));
            ch.writeInbound(ascii("\nPING after\r\n"));

            assertThat(line(ch.readInbound())).isEqualTo("PUT bob 1 x.txt");
            FileBody body = ch.readInbound();
            assertThat(body.data().toString(StandardCharsets.US_ASCII)).isEqualTo("\r");
            body.data().release();
            assertThat(line(ch.readInbound())).isEmpty();
            assertThat(line(ch.readInbound())).isEqualTo("PING after");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void anOverLongLineBecomesOneMessageInItsPlaceNotAnException() {
        ChatFrameDecoder framer = new ChatFrameDecoder(8);
        EmbeddedChannel ch = new EmbeddedChannel(framer);
        try {
            ch.writeInbound(ascii("PING a\r\n" + "x".repeat(20) + "\r\nPING b\r\n"));

            assertThat(line(ch.readInbound())).isEqualTo("PING a");
            assertThat((Object) ch.readInbound()).isSameAs(LineTooLong.INSTANCE);
            assertThat(line(ch.readInbound())).isEqualTo("PING b");
            assertThat((Object) ch.readInbound()).isNull();
            assertThat(framer.lineOpen()).isFalse();
            ch.checkException(); // nothing went through exceptionCaught
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void anOverLongLineArrivingInPiecesIsReportedOnceAndIsOpenUntilItsLineFeed() {
        ChatFrameDecoder framer = new ChatFrameDecoder(8);
        EmbeddedChannel ch = new EmbeddedChannel(framer);
        try {
            ch.writeInbound(ascii("x".repeat(12)));
            assertThat((Object) ch.readInbound()).isSameAs(LineTooLong.INSTANCE);
            assertThat(framer.lineOpen())
                    .as("being discarded: the line deadline runs")
                    .isTrue();

            ch.writeInbound(ascii("y".repeat(30)));
            assertThat((Object) ch.readInbound()).as("reported once").isNull();
            assertThat(framer.lineOpen()).isTrue();

            ch.writeInbound(ascii("zz\n"));
            assertThat((Object) ch.readInbound()).isNull();
            assertThat(framer.lineOpen())
                    .as("ended: no deadline for a line that is over")
                    .isFalse();

            ch.writeInbound(ascii("PING c\nPI"));
            assertThat(line(ch.readInbound())).isEqualTo("PING c");
            assertThat(framer.lineOpen()).as("a new line has begun").isTrue();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aLineThatDoesNotEndInTimeIsAskedToCloseOneThatDoesIsNot() throws Exception {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ch.pipeline().addLast(new ChatFrameDecoder(4095, 30_000), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        ch.register();
        ch.freezeTime();
        try {
            ch.writeInbound(ascii("PING sl"));
            ch.advanceTimeBy(20, TimeUnit.SECONDS);
            ch.writeInbound(ascii("ow")); // a trickle does not restart the clock
            ch.advanceTimeBy(11, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            assertThat(events)
                    .containsExactly(new CloseRequest("BYE line timeout\r\n", "line timeout", "line timeout"));

            events.clear();
            ch.writeInbound(ascii("ly\nPING b"));
            ch.advanceTimeBy(25, TimeUnit.SECONDS); // a new line began in that read: its own 30 s
            ch.runScheduledPendingTasks();
            ch.writeInbound(ascii("\n"));
            ch.advanceTimeBy(1, TimeUnit.HOURS);
            ch.runScheduledPendingTasks();
            assertThat(events).as("every line ended in time").isEmpty();

            ch.writeInbound(ascii("PING c"));
            ch.config().setAutoRead(false); // the server paused reading: the line waits in the socket
            ch.advanceTimeBy(31, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            assertThat(events).as("not the client's fault").isEmpty();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static String line(Object frame) {
        ByteBuf buf = (ByteBuf) frame;
        try {
            return buf.toString(StandardCharsets.US_ASCII);
        } finally {
            buf.release();
        }
    }
}
