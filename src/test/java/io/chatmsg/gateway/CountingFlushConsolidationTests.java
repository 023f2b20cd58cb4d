package io.chatmsg.gateway;

import java.util.ArrayList;
import java.util.List;

import io.chatmsg.session.LiveSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain listener's head: the bytes in and out are counted, and a read burst's flushes become one. */
class CountingFlushConsolidationTests {

    @Test
    void countsTheBytesAndFlushesOnceAtTheEndOfTheRead() {
        LiveSession session = TestSettings.session();
        List<Integer> flushedDuringRead = new ArrayList<>();
        EmbeddedChannel[] channel = new EmbeddedChannel[1];
        // Answers every message read with two flushed writes of 3 bytes.
        ChannelInboundHandlerAdapter replies = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'2', '0', '0'}));
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'2', '0', '1'}));
                flushedDuringRead.add(channel[0].outboundMessages().size());
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(new CountingFlushConsolidation(session), replies);
        channel[0] = ch;

        ch.writeInbound(Unpooled.wrappedBuffer(new byte[10]), Unpooled.wrappedBuffer(new byte[5]));

        assertThat(flushedDuringRead)
                .as("nothing flushed while the read goes on")
                .containsOnly(0);
        assertThat(ch.outboundMessages()).as("flushed at the read's end").hasSize(4);
        assertThat(session.bytesIn()).isEqualTo(15);
        assertThat(session.bytesOut()).isEqualTo(12);
        ch.finishAndReleaseAll();
    }
}
