package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import io.chatmsg.protocol.Lines;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Looks at the first bytes of a connection once: a TLS ClientHello, or an HTTP
 * request line ({@code GET / HTTP/1.1}), on the plain chat port gets one
 * {@code BYE} saying what this port is, and is closed, instead of being parsed
 * line by line. Then it steps out of the pipeline.
 */
final class ProtocolSniffer extends ChannelInboundHandlerAdapter {

    private static final byte TLS_HANDSHAKE = 0x16;
    private static final Pattern HTTP_REQUEST_LINE = Pattern.compile("[A-Z]{3,7} \\S+ HTTP/\\d(\\.\\d)?\\r?");

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        ctx.pipeline().remove(this);
        if (buf.isReadable() && buf.getByte(buf.readerIndex()) == TLS_HANDSHAKE) {
            refuse(ctx, buf, "this port speaks plain CHAT-MSG/1, not TLS", "tls on plain port");
            return;
        }
        int lf = buf.indexOf(buf.readerIndex(), Math.min(buf.writerIndex(), buf.readerIndex() + 8192), (byte) '\n');
        if (lf > 0) {
            String first = buf.toString(buf.readerIndex(), lf - buf.readerIndex(), StandardCharsets.ISO_8859_1);
            if (HTTP_REQUEST_LINE.matcher(first).matches()) {
                refuse(ctx, buf, "this is a CHAT-MSG/1 chat port, not HTTP", "http on chat port");
                return;
            }
        }
        ctx.fireChannelRead(buf);
    }

    private static void refuse(ChannelHandlerContext ctx, ByteBuf buf, String why, String metric) {
        buf.release();
        ctx.fireUserEventTriggered(new CloseRequest(Lines.bye(why), "not chat-msg", metric));
    }
}
