package io.chatmsg.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;

import io.chatmsg.config.ChatMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The small per-concern handlers of the chat pipeline, each alone on an EmbeddedChannel. */
class GuardHandlersTests {

    private final List<Object> events = new ArrayList<>();

    /** Records the user events that reach the end of the pipeline. */
    private final ChannelInboundHandlerAdapter tail = new ChannelInboundHandlerAdapter() {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    };

    @Test
    void aConnectionThatDoesNotLogInInTimeIsAskedToClose() throws Exception {
        EmbeddedChannel ch = frozen(
                PipelineNames.LOGIN_DEADLINE,
                new LoginDeadline(TestSettings.with(Duration.ofSeconds(30), Duration.ofSeconds(1))));

        ch.advanceTimeBy(29, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(events).isEmpty();

        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(events).containsExactly(new CloseRequest("BYE login timeout\r\n", "login timeout", "login timeout"));
        ch.finishAndReleaseAll();
    }

    @Test
    void theLoginDeadlineLeavesThePipelineAtLoginWithItsTimer() throws Exception {
        EmbeddedChannel ch = frozen(
                PipelineNames.LOGIN_DEADLINE,
                new LoginDeadline(TestSettings.with(Duration.ofSeconds(30), Duration.ofSeconds(1))));
        assertThat(ch.pipeline().get(PipelineNames.LOGIN_DEADLINE)).isNotNull();

        LoginDeadline.passed(ch.pipeline());
        LoginDeadline.passed(ch.pipeline()); // the second LOGIN of a connection: nothing to remove

        assertThat(ch.pipeline().get(LoginDeadline.class)).isNull();
        ch.advanceTimeBy(1, TimeUnit.HOURS);
        ch.runScheduledPendingTasks();
        assertThat(events).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void aClientThatStaysAboveTheMarkPastTheGraceIsDropped() throws Exception {
        List<String> dropped = new ArrayList<>();
        EmbeddedChannel ch = slowConsumerWatched(dropped);

        ch.write(Unpooled.wrappedBuffer(new byte[32])); // unflushed: above the mark
        assertThat(ch.isWritable()).isFalse();
        ch.advanceTimeBy(4, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(dropped).isEmpty();

        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(dropped).containsExactly("slow");
        ch.finishAndReleaseAll();
    }

    @Test
    void aClientThatCatchesUpWithinTheGraceIsKept() throws Exception {
        List<String> dropped = new ArrayList<>();
        EmbeddedChannel ch = slowConsumerWatched(dropped);

        ch.write(Unpooled.wrappedBuffer(new byte[32]));
        ch.advanceTimeBy(3, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ch.flush(); // it read: below the mark again
        assertThat(ch.isWritable()).isTrue();
        ch.advanceTimeBy(10, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();

        assertThat(dropped).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void theWatchJoinsWhenTheChannelTurnsUnwritableAndLeavesWhenItIsWritableAgain() throws Exception {
        List<String> dropped = new ArrayList<>();
        GatewaySettings settings = TestSettings.with(Duration.ofSeconds(30), Duration.ofSeconds(5));
        SlowConsumerWatch.Reader reader = () -> dropped.add("slow");
        // Stands in for the command handler, which asks for the watch on each writability change.
        ChannelInboundHandlerAdapter commands = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                SlowConsumerWatch.watch(ctx, reader, settings);
                ctx.fireChannelWritabilityChanged();
            }
        };
        EmbeddedChannel ch = frozen(PipelineNames.COMMANDS, commands);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        assertThat(ch.pipeline().get(PipelineNames.SLOW_CONSUMER))
                .as("writable: no watch")
                .isNull();

        ch.write(Unpooled.wrappedBuffer(new byte[32])); // above the mark
        assertThat(ch.pipeline().names()).startsWith(PipelineNames.SLOW_CONSUMER, PipelineNames.COMMANDS);
        ch.advanceTimeBy(3, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ch.flush(); // it read in time
        assertThat(ch.pipeline().get(PipelineNames.SLOW_CONSUMER))
                .as("writable again: gone")
                .isNull();
        ch.advanceTimeBy(10, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(dropped).isEmpty();

        ch.write(Unpooled.wrappedBuffer(new byte[32])); // above the mark again: a new grace
        assertThat(ch.pipeline().get(PipelineNames.SLOW_CONSUMER)).isNotNull();
        ch.advanceTimeBy(6, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(dropped).containsExactly("slow");
        ch.finishAndReleaseAll();
    }

    @Test
    void aWatchStaysWhenWhatRanAsTheChannelTurnedWritablePutItAboveTheMarkAgain() throws Exception {
        List<String> dropped = new ArrayList<>();
        GatewaySettings settings = TestSettings.with(Duration.ofSeconds(30), Duration.ofSeconds(5));
        SlowConsumerWatch.Reader reader = () -> dropped.add("slow");
        // Like the command handler: writable again, it runs a waiting command whose reply is large.
        ChannelInboundHandlerAdapter commands = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                SlowConsumerWatch.watch(ctx, reader, settings);
                if (ctx.channel().isWritable()) {
                    ctx.write(Unpooled.wrappedBuffer(new byte[32]));
                }
                ctx.fireChannelWritabilityChanged();
            }
        };
        EmbeddedChannel ch = frozen(PipelineNames.COMMANDS, commands);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.write(Unpooled.wrappedBuffer(new byte[32])); // above the mark: the watch joins
        ch.advanceTimeBy(3, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();

        ch.flush(); // writable: the next reply at once puts it above the mark again
        assertThat(ch.isWritable()).isFalse();
        assertThat(ch.pipeline().get(PipelineNames.SLOW_CONSUMER))
                .as("still watched")
                .isNotNull();
        ch.advanceTimeBy(6, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(dropped).containsExactly("slow");
        ch.finishAndReleaseAll();
    }

    @Test
    void theRateLimiterPassesABurstThenMarksTheExcessThenAsksAFlooderToClose() {
        GatewaySettings settings = TestSettings.with(Duration.ofSeconds(30), Duration.ofSeconds(5));
        // The framer asks the limiter about each line it frames.
        EmbeddedChannel ch = new EmbeddedChannel(new ChatFrameDecoder(12, 0, new RateLimiter(settings)), tail);
        int burst = settings.commandBurst();
        for (int i = 0; i < burst; i++) {
            ch.writeInbound(Unpooled.copiedBuffer(new byte[] {'x', '\n'}));
        }
        for (int i = 0; i < burst; i++) {
            Object line = ch.readInbound();
            assertThat(line).as("line %d of the burst", i).isInstanceOf(io.netty.buffer.ByteBuf.class);
            ((io.netty.buffer.ByteBuf) line).release();
        }
        ByteBuf refused = Unpooled.copiedBuffer(new byte[] {'y', '\n'});
        ch.writeInbound(refused);
        assertThat((Object) ch.readInbound())
                .as("in place of the line: 429 in order")
                .isSameAs(RateLimited.INSTANCE);
        assertThat(refused.refCnt()).isZero();

        // An over-long line's marker is not a command; a refused PUT line's body is still read.
        ch.writeInbound(Unpooled.copiedBuffer("1234567890123\nPUT a 2 f\nhi".getBytes(StandardCharsets.US_ASCII)));
        assertThat((Object) ch.readInbound()).isSameAs(LineTooLong.INSTANCE);
        assertThat((Object) ch.readInbound()).isSameAs(RateLimited.INSTANCE);
        Object body = ch.readInbound();
        assertThat(body).isInstanceOf(FileBody.class);
        assertThat(((FileBody) body).data().toString(StandardCharsets.US_ASCII)).isEqualTo("hi");
        ((FileBody) body).data().release();
        assertThat(events).isEmpty();

        for (int i = 0; i < settings.floodThreshold() + 5; i++) {
            ch.writeInbound(Unpooled.copiedBuffer(new byte[] {'z', '\n'}));
        }
        assertThat(events)
                .as("one request to close, then silence")
                .containsExactly(new CloseRequest("BYE flood\r\n", "flood", "flood"));
        ch.finishAndReleaseAll();
    }

    @Test
    void aFailedHandshakeLeavesNoClientIdAndTheWatchLeaves() {
        EmbeddedChannel ch = new EmbeddedChannel(ClientCertificate.INSTANCE, tail);

        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("no")));

        assertThat(ClientCertificate.of(ch)).isNull();
        assertThat(ch.pipeline().get(ClientCertificate.class)).isNull();
        assertThat(events).hasSize(1).first().isInstanceOf(SslHandshakeCompletionEvent.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void aTlsFailureIsCountedAndClosesTheConnection() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EmbeddedChannel ch = new EmbeddedChannel(new ErrorHandler(new ChatMetrics(registry)));

        ch.pipeline().fireExceptionCaught(new io.netty.handler.codec.DecoderException(new SSLHandshakeException("x")));

        assertThat(ch.isOpen()).isFalse();
        assertThat(registry.get("chat.refusals")
                        .tag("reason", "tls handshake")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void aResetAndAnUnexpectedErrorCloseTheConnection() {
        EmbeddedChannel reset = new EmbeddedChannel(new ErrorHandler(new ChatMetrics(new SimpleMeterRegistry())));
        reset.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        assertThat(reset.isOpen()).isFalse();

        EmbeddedChannel broken = new EmbeddedChannel(new ErrorHandler(new ChatMetrics(new SimpleMeterRegistry())));
        broken.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));
        assertThat(broken.isOpen()).isFalse();
    }

    /** The slow-consumer watch (grace 5 s) on a frozen channel whose high water mark is 16 bytes. */
    private EmbeddedChannel slowConsumerWatched(List<String> dropped) throws Exception {
        EmbeddedChannel ch = frozen(
                PipelineNames.SLOW_CONSUMER,
                new SlowConsumerWatch(
                        () -> dropped.add("slow"), TestSettings.with(Duration.ofSeconds(30), Duration.ofSeconds(5))));
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        return ch;
    }

    /** A channel whose clock moves only when the test says so (the handler under its pipeline name). */
    private EmbeddedChannel frozen(String name, io.netty.channel.ChannelHandler handler) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ch.pipeline().addLast(name, handler).addLast(tail);
        ch.register();
        ch.freezeTime(); // a few microseconds after the timers were set: the steps below are seconds
        return ch;
    }
}
