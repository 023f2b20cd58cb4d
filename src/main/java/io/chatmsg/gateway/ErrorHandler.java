package io.chatmsg.gateway;

import java.io.IOException;
import javax.net.ssl.SSLException;

import io.chatmsg.config.ChatMetrics;
import io.chatmsg.ops.ProcessGuard;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an exception means for a chat connection. The command handler, last in every
 * chat pipeline, hands it each exception (not a pipeline member of its own: one handler
 * context less per connection); being a handler, it can also be a pipeline's tail.
 * A failed TLS handshake or plain text on the TLS port is the client's doing
 * ({@code tls error}); a reset is the client going away; anything else is logged
 * and ends the connection ({@code error}), and an {@code OutOfMemoryError} stops
 * the process. Shared by every connection.
 */
@ChannelHandler.Sharable
final class ErrorHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

    private final ChatMetrics metrics;

    ErrorHandler(ChatMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        CommandHandler commands = ctx.pipeline().get(CommandHandler.class);
        ChatConnection connection = commands == null ? null : commands.connection();
        long session = connection == null ? -1 : connection.session().id();
        String reason;
        if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
            log.debug("session {}: TLS: {}", session, cause.toString());
            metrics.refused("tls handshake");
            reason = "tls error";
        } else if (cause instanceof IOException) {
            log.debug("session {}: {}", session, cause.toString());
            reason = null;
        } else {
            ProcessGuard.haltIfFatal(cause);
            log.warn("session {} closed after an unexpected error", session, cause);
            reason = "error";
        }
        if (connection == null) {
            ctx.close();
        } else if (reason == null) {
            connection.context().close();
        } else {
            connection.failed(reason);
        }
    }
}
