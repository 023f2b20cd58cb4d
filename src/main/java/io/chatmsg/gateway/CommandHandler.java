package io.chatmsg.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.chatmsg.chat.ChatService;
import io.chatmsg.chat.Response;
import io.chatmsg.protocol.Command;
import io.chatmsg.protocol.ProtocolException;
import io.chatmsg.protocol.Redactor;
import io.chatmsg.session.LiveSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Turns each framed line into a {@link Command} and hands it to the
 * {@link ChatService}; the replies go out in command order through the
 * {@link ReplySequencer}, and the {@link InboundGate} holds commands back while
 * they must wait. Event loop only.
 */
final class CommandHandler extends ChannelInboundHandlerAdapter {

    private final GatewayServices shared;
    private final ChatConnection connection;
    private ReplySequencer replies;
    private InboundGate gate;

    CommandHandler(GatewayServices shared, ChatConnection connection) {
        this.shared = shared;
        this.connection = connection;
    }

    ChatConnection connection() {
        return connection;
    }

    GatewayServices shared() {
        return shared;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connection.attach(ctx, this);
        replies = new ReplySequencer(ctx.executor(), connection);
        gate = new InboundGate(this, connection, replies);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection.opened(shared.hello(), shared.heartbeats());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf frame) {
            line(frame);
        } else if (msg instanceof FileBody piece) {
            if (connection.closing()) {
                piece.data().release();
            } else {
                gate.acceptBody(piece);
            }
        } else {
            LiveSession session = connection.session();
            session.addLinesIn(1);
            session.recordIn(
                    msg == LineTooLong.INSTANCE
                            ? "<line over the length limit, discarded>"
                            : "<a line over the rate limit, not executed>");
            if (!connection.closing()) {
                gate.accept(msg == LineTooLong.INSTANCE ? GatewayReplies.LINE_TOO_LONG : GatewayReplies.RATE_LIMITED);
            }
        }
    }

    private void line(ByteBuf frame) {
        LiveSession session = connection.session();
        try {
            session.addLinesIn(1);
            if (connection.closing()) {
                return;
            }
            connection.heartbeat().alive();
            if (ByteBufUtil.isText(frame, StandardCharsets.UTF_8)) {
                String line = frame.toString(StandardCharsets.UTF_8);
                session.recordIn(Redactor.redact(line));
                gate.accept(line);
            } else {
                session.recordIn("<" + frame.readableBytes() + " bytes that are not UTF-8>");
                gate.accept(GatewayReplies.INVALID_UTF8);
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        connection.heartbeat().read();
        ctx.fireChannelReadComplete();
    }

    /** Runs a line, body piece, parsed command or ready reply: the gate's say-so is given. */
    @SuppressWarnings("unchecked")
    void run(Object item) {
        if (item instanceof String line) {
            Command command;
            try {
                command = shared.parser().parse(line);
            } catch (ProtocolException e) {
                replies.add(ReplySequencer.Owed.of(
                        CompletableFuture.completedFuture(Response.reply(e.code(), e.reason()))));
                return;
            }
            execute(command);
        } else if (item instanceof FileBody piece) {
            body(piece);
        } else if (item instanceof Command command) {
            execute(command);
        } else {
            replies.add(ReplySequencer.Owed.of((CompletableFuture<Response>) item));
        }
    }

    private void execute(Command command) {
        if (command instanceof Command.Blank) {
            return;
        }
        if (command instanceof Command.History && replies.historyOwed() > 0) {
            gate.park(command); // mustWait() holds it until the HISTORY before it is written
            return;
        }
        if (command instanceof Command.Pong pong) {
            connection.heartbeat().pong(pong.token());
            return;
        }
        if (command instanceof Command.Put put) {
            replies.add(ReplySequencer.Owed.of(connection.files().put(put)));
            if (!connection.client().loggedIn()) {
                // Answered 401, then the connection closes: its body (up to 10^18 bytes) is not
                // read, which would let anyone keep a connection busy until the login deadline.
                connection.endAfterReply("put before login");
            }
            return;
        }
        if (command instanceof Command.Get get) {
            replies.add(ReplySequencer.Owed.of(connection.files().get(get)));
            return;
        }
        if (command instanceof Command.Quit) {
            connection.endAfterReply("quit");
        }
        boolean login = command instanceof Command.Login;
        if (login) {
            connection.holdEvents();
        }
        if (command instanceof Command.Logoff) {
            connection.loggedOff();
        }
        long start = command instanceof Command.Msg || command instanceof Command.MsgAll ? System.nanoTime() : 0;
        CompletableFuture<Response> reply = shared.chat().handle(connection.client(), command);
        replies.add(new ReplySequencer.Owed(reply, login, start, command instanceof Command.History));
        gate.ran();
    }

    /** A piece of a PUT's body. */
    private void body(FileBody piece) {
        connection.heartbeat().alive();
        if (!connection.files().body(piece) && !connection.client().loggedIn() && !connection.closing()) {
            // The PUT line was refused before it ran (400, 429): its body is not read either.
            connection.closeWithBye("PUT before LOGIN", "put before login");
        }
    }

    boolean endsHoldOwed() {
        return replies.endsHoldOwed();
    }

    /** Writes the replies that are ready, in order, then runs what waited, and reads again when nothing must wait. */
    void drain() {
        replies.writeReady();
        gate.drain();
        if (connection.shuttingDown() && replies.isEmpty()) {
            connection.closeWithBye("server shutting down", "server shutdown");
        }
    }

    /** The connection is closing: what waited is dropped. */
    void dropWaiting() {
        gate.drop();
    }

    /** Graceful shutdown: read nothing more, finish the replies owed, then say BYE. */
    void shutdown() {
        connection.shutdown();
        drain();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        SlowConsumerWatch.watch(ctx, connection, shared.settings());
        if (ctx.channel().isWritable()) {
            if (!connection.canWrite()) {
                connection.files().writable();
            }
            if (gate.waiting()) {
                drain(); // the commands that waited for the client to read
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof CloseRequest r) {
            connection.closeRequested(r);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Last in the pipeline: every exception ends here, and the shared {@link ErrorHandler} decides. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        shared.errors().exceptionCaught(ctx, cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        gate.closed();
        LiveSession session = connection.session();
        String reason = connection.closed();
        replies.clear();
        shared.sessions().close(session, reason);
        InetAddress remote = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        shared.limiter().release(remote);
        // Flapping is connect-and-drop: counted when an admitted connection closes soon after opening.
        shared.flapping().closed(remote, session.connectedAt());
        ctx.fireChannelInactive();
    }
}
