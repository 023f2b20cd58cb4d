package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flow.FlowControlHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one read framed waits in the flow-control handler while the server has paused
 * reading; when the connection closes meanwhile, all of it is released, a PUT's body
 * pieces as well as its lines (the hand-kept inbox before it released both).
 */
class FlowControlReleaseTests {

    @Test
    void bodyPiecesWaitingWhileReadingIsPausedAreReleasedWhenTheConnectionCloses() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChatFrameDecoder(4095), new FlowControlHandler());
        ch.config().setAutoRead(false); // the server has paused reading (commands must wait, or an upload)
        ByteBuf read = Unpooled.buffer().writeBytes("PUT bob 5 x.txt\nhello".getBytes(StandardCharsets.US_ASCII));

        ch.writeInbound(read);
        assertThat((Object) ch.readInbound()).isNull(); // nothing handed on: it all waits
        ch.close();

        assertThat(read.refCnt()).isZero();
    }
}
