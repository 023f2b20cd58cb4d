package io.chatmsg.gateway;

import java.util.concurrent.TimeUnit;

import io.chatmsg.protocol.Lines;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * A connection must log in within {@code chat.limits.login-deadline} of opening,
 * or it is closed with {@code BYE login timeout} (a LOGIN that has run counts, its reply
 * may still be owed). At the first reply written after
 * a successful LOGIN the handler leaves the pipeline, with its timer: a logged-in
 * connection pays nothing for it.
 */
final class LoginDeadline extends ChannelInboundHandlerAdapter {

    private final long millis;
    private ScheduledFuture<?> timer;

    LoginDeadline(GatewaySettings settings) {
        this.millis = settings.loginDeadline().toMillis();
    }

    /** The connection has logged in: the deadline, if still in {@code pipeline}, is gone. */
    static void passed(ChannelPipeline pipeline) {
        if (pipeline.get(PipelineNames.LOGIN_DEADLINE) != null) {
            pipeline.remove(PipelineNames.LOGIN_DEADLINE);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> expired(ctx), millis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    private void expired(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.isRemoved() && ctx.channel().isActive() && !loggedIn(ctx)) {
            ctx.fireUserEventTriggered(new CloseRequest(Lines.bye("login timeout"), "login timeout", "login timeout"));
        }
    }

    /**
     * A LOGIN run in time has logged in, even while its reply still waits behind slower
     * replies before it (or for its offline messages): the deadline has been met.
     */
    private static boolean loggedIn(ChannelHandlerContext ctx) {
        CommandHandler commands = ctx.pipeline().get(CommandHandler.class);
        return commands != null && commands.connection().session().clientId() != null;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }
}
