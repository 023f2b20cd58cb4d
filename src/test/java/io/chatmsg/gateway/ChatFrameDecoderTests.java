package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The framer on an EmbeddedChannel: cases the fuzzer found, kept as plain tests. */
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
