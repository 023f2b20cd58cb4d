package io.chatmsg.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;

/**
 * TLS listener only: when the handshake succeeds, the common name of a client
 * certificate verified against {@code chat.tls.client-ca} becomes the channel's
 * {@link #ID} attribute (a LOGIN as that id needs no password), and the handler
 * leaves the pipeline. Shared by every TLS connection.
 */
@ChannelHandler.Sharable
final class ClientCertificate extends ChannelInboundHandlerAdapter {

    static final ClientCertificate INSTANCE = new ClientCertificate();

    static final AttributeKey<String> ID = AttributeKey.valueOf(ClientCertificate.class, "id");

    private ClientCertificate() {}

    /** The verified certificate's common name, or null. */
    static String of(Channel channel) {
        return channel.hasAttr(ID) ? channel.attr(ID).get() : null;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent hs) {
            if (hs.isSuccess()) {
                String name = CertificateNames.commonName(ctx.pipeline().get(SslHandler.class));
                if (name != null) {
                    ctx.channel().attr(ID).set(name);
                }
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }
}
