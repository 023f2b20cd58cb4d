package io.chatmsg.gateway;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chatmsg.protocol.Command;
import io.chatmsg.protocol.CommandParser;
import io.chatmsg.protocol.ProtocolException;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of what turns bytes into commands: the gateway's own
 * framer ({@link ChatFrameDecoder}, line mode and a PUT's body mode) and the
 * parser. The input arrives in pieces cut at places derived from it, as the
 * network might cut it; whatever it is, every line is at most the maximum length
 * and appears in the input, every line the framer dropped was over-long and is
 * reported in its place by one {@link LineTooLong} (one 413 each), every body byte after a PUT is passed on exactly once and in order,
 * never more than a line's worth is buffered, each line parses or is one of the
 * documented refusals, nothing else escapes, and every buffer is released. A
 * plain {@code mvn verify} replays the saved inputs
 * ({@code src/test/resources/io/chatmsg/gateway/FramingFuzzTestsInputs}); {@code
 * JAZZER_FUZZ=1} fuzzes (.ci/run does so briefly; see docs/security.md for longer runs).
 */
class FramingFuzzTests {

    private static final Set<Integer> DOCUMENTED = Set.of(400, 401, 403, 404, 409, 413, 429, 503);
    /** Line limits without the terminator: the smallest configuration allows (64B), and the default (4096B). */
    private static final int[] MAX_LINES = {63, 4095};

    private static final Field CUMULATION = cumulationField();
    private final CommandParser parser = new CommandParser();

    @FuzzTest(maxDuration = "30s")
    void bytesBecomeLinesBodiesAndCommandsOrDocumentedRefusals(byte[] input) throws Exception {
        for (int max : MAX_LINES) {
            new Run(input, max).check();
        }
    }

    /** One pass of the input through a fresh framer. */
    private final class Run {
        final byte[] input;
        final int max;
        final TrackingAllocator alloc = new TrackingAllocator();
        final ChatFrameDecoder framer;
        final EmbeddedChannel ch;
        final List<Object> out = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();

        Run(byte[] input, int max) {
            this.input = input;
            this.max = max;
            this.framer = new ChatFrameDecoder(max);
            this.ch = new EmbeddedChannel(framer, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    out.add(msg);
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    errors.add(cause);
                }
            });
            ch.config().setAllocator(alloc);
        }

        void check() throws Exception {
            try {
                feed();
                verify();
            } finally {
                ch.finishAndReleaseAll();
                out.forEach(o -> ReferenceCountUtil.release(o instanceof FileBody b ? b.data() : o));
            }
            assertThat(alloc.made).allMatch(b -> b.refCnt() == 0, "released");
        }

        private void feed() throws Exception {
            SplittableRandom cuts = new SplittableRandom(Arrays.hashCode(input) * 31L + max);
            for (int at = 0; at < input.length; ) {
                int n = Math.min(input.length - at, 1 + cuts.nextInt(cuts.nextBoolean() ? 8 : 512));
                ch.writeInbound(alloc.heapBuffer(n).writeBytes(input, at, n));
                at += n;
                assertThat(buffered()).isLessThanOrEqualTo(max);
            }
        }

        private void verify() {
            assertThat(errors).as("nothing goes through exceptionCaught").isEmpty();
            int cursor = 0;
            int i = 0;
            while (i < out.size()) {
                Object next = out.get(i++);
                if (next == LineTooLong.INSTANCE) {
                    // Each over-long line is reported once, in its place among the lines.
                    int lf = lineFeed(cursor);
                    if (lf < 0) {
                        assertThat(input.length - cursor)
                                .as("a tail reported too long")
                                .isGreaterThan(max);
                        assertThat(i)
                                .as("anything after a tail being discarded")
                                .isEqualTo(out.size());
                        assertThat(buffered()).isZero();
                        return;
                    }
                    assertThat(lf - cursor)
                            .as("a line that fits reported too long")
                            .isGreaterThan(max);
                    cursor = lf + 1;
                    continue;
                }
                assertThat(next).as("a body piece without its PUT").isInstanceOf(ByteBuf.class);
                byte[] line = ByteBufUtil.getBytes((ByteBuf) next);
                assertThat(line.length).isLessThanOrEqualTo(max);
                assertThat(lineAt(cursor, line)).as("the input's next line").isTrue();
                cursor = lineFeed(cursor + line.length) + 1;
                long size = parses(line);
                if (size < 0) {
                    continue;
                }
                // Body mode: the next size bytes, in pieces, exactly once, whatever the reply.
                long got = 0;
                do {
                    if (i == out.size()) {
                        assertThat(cursor).as("a body cut short").isEqualTo(input.length);
                        assertThat(buffered()).isZero();
                        return;
                    }
                    assertThat(out.get(i)).as("a PUT's body left unread").isInstanceOf(FileBody.class);
                    FileBody piece = (FileBody) out.get(i++);
                    int n = piece.data().readableBytes();
                    assertThat(n).isBetween(size == 0 ? 0 : 1, ChatFrameDecoder.MAX_PIECE);
                    assertThat(ByteBufUtil.getBytes(piece.data()))
                            .isEqualTo(Arrays.copyOfRange(input, cursor, cursor + n));
                    cursor += n;
                    got += n;
                    assertThat(piece.last()).isEqualTo(got == size);
                } while (got < size);
            }
            // What is left: at most a line's beginning, buffered (every over-long line was reported).
            assertThat(lineFeed(cursor))
                    .as("a line neither framed nor reported")
                    .isNegative();
            int tail = input.length - cursor;
            assertThat(tail).as("an over-long tail not reported").isLessThanOrEqualTo(max);
            assertThat(buffered()).isEqualTo(tail);
        }

        /** The PUT body size that follows this line (-1: none), checked against what the parser makes of it. */
        private long parses(byte[] line) {
            String text = new String(line, StandardCharsets.UTF_8);
            long size = CommandParser.putBodySize(text);
            if (!ByteBufUtil.isText(Unpooled.wrappedBuffer(line), StandardCharsets.UTF_8)) {
                return size; // answered 400 invalid UTF-8; a PUT's body is still consumed
            }
            try {
                Command c = parser.parse(text);
                assertThat(c).isNotNull();
                if (c instanceof Command.Put put) {
                    assertThat(size).isEqualTo(put.size());
                }
            } catch (ProtocolException e) {
                assertThat(DOCUMENTED).contains(e.code());
                assertThat(e.reason()).isNotBlank().doesNotContain("\r").doesNotContain("\n");
            }
            return size;
        }

        /** True when {@code line} and then LF or CR LF start at {@code at}. */
        private boolean lineAt(int at, byte[] line) {
            int end = at + line.length;
            if (end >= input.length || !Arrays.equals(input, at, end, line, 0, line.length)) {
                return false;
            }
            return input[end] == '\n' || (input[end] == '\r' && end + 1 < input.length && input[end + 1] == '\n');
        }

        private int lineFeed(int from) {
            for (int k = from; k < input.length; k++) {
                if (input[k] == '\n') {
                    return k;
                }
            }
            return -1;
        }

        private int buffered() {
            try {
                ByteBuf held = (ByteBuf) CUMULATION.get(framer);
                return held == null ? 0 : held.readableBytes();
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Remembers every buffer it makes, to check at the end that all were released. */
    private static final class TrackingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> made = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return tracked(UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return tracked(UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity));
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        private ByteBuf tracked(ByteBuf b) {
            made.add(b);
            return b;
        }
    }

    /** What the framer holds between reads: Netty keeps it private, the test reads it anyway. */
    private static Field cumulationField() {
        try {
            Field f = ByteToMessageDecoder.class.getDeclaredField("cumulation");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
