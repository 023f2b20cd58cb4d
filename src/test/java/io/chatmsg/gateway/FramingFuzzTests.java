package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chatmsg.protocol.Command;
import io.chatmsg.protocol.CommandParser;
import io.chatmsg.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of what turns bytes into commands: the gateway's
 * line framer (Netty's, configured as the gateway configures it) and the
 * parser. Whatever arrives, each frame becomes a command or one of the
 * documented refusals, and nothing else escapes. A plain {@code mvn test} runs
 * the saved inputs (regression); {@code JAZZER_FUZZ=1} fuzzes (.ci/run does so
 * briefly; see docs/security.md for longer runs).
 */
class FramingFuzzTests {

    private static final Set<Integer> DOCUMENTED = Set.of(400, 401, 403, 404, 409, 413, 429, 503);
    private final CommandParser parser = new CommandParser();

    @FuzzTest(maxDuration = "30s")
    void bytesBecomeCommandsOrDocumentedRefusals(byte[] input) {
        EmbeddedChannel ch = new EmbeddedChannel(new LineBasedFrameDecoder(4095, true, true));
        try {
            // Feed in two pieces, as the network might split it.
            int cut = input.length / 2;
            write(ch, input, 0, cut);
            write(ch, input, cut, input.length - cut);
            for (Object frame; (frame = ch.readInbound()) != null; ) {
                ByteBuf buf = (ByteBuf) frame;
                try {
                    assertThat(buf.readableBytes()).isLessThanOrEqualTo(4095);
                    if (!ByteBufUtil.isText(buf, StandardCharsets.UTF_8)) {
                        continue; // answered 400 invalid UTF-8
                    }
                    String line = buf.toString(StandardCharsets.UTF_8);
                    try {
                        Command c = parser.parse(line);
                        assertThat(c).isNotNull();
                    } catch (ProtocolException e) {
                        assertThat(DOCUMENTED).contains(e.code());
                        assertThat(e.reason()).isNotBlank().doesNotContain("\r").doesNotContain("\n");
                    }
                } finally {
                    buf.release();
                }
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static void write(EmbeddedChannel ch, byte[] input, int from, int length) {
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(input, from, length));
        } catch (TooLongFrameException e) {
            // answered 413 and resynchronised at the next LF
        }
    }
}
