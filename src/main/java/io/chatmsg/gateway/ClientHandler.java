package io.chatmsg.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import javax.net.ssl.SSLException;

import io.chatmsg.chat.ChatClient;
import io.chatmsg.chat.ChatService;
import io.chatmsg.chat.Connection;
import io.chatmsg.chat.FileTransfers;
import io.chatmsg.chat.Response;
import io.chatmsg.config.ChatMetrics;
import io.chatmsg.ops.ProcessGuard;
import io.chatmsg.protocol.Command;
import io.chatmsg.protocol.CommandParser;
import io.chatmsg.protocol.Lines;
import io.chatmsg.protocol.OutboundLine;
import io.chatmsg.protocol.ProtocolException;
import io.chatmsg.protocol.Redactor;
import io.chatmsg.protocol.ReplyCodes;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionControl;
import io.chatmsg.session.SessionRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per connection: turns each framed line into a {@link Command}, hands it
 * to the {@link ChatService}, and writes the replies strictly in command order
 * even when some wait for the database (a reply that is ready waits for the
 * ones before it). Events go out as they come, never inside a reply. All
 * state is confined to the channel's event loop.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter implements Connection, SessionControl {

    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);
    private static final long BACKLOG_RETRY_MILLIS = 5;
    private static final CompletableFuture<Response> INVALID_UTF8 =
            CompletableFuture.completedFuture(Response.reply(ReplyCodes.BAD_REQUEST, "invalid UTF-8"));
    private static final CompletableFuture<Response> RATE_LIMITED = CompletableFuture.completedFuture(
            Response.reply(ReplyCodes.TOO_MANY_REQUESTS, "rate limit: slow down; the command was not executed"));
    private static final CompletableFuture<Response> LINE_TOO_LONG =
            CompletableFuture.completedFuture(Response.reply(ReplyCodes.TOO_LARGE, "line too long"));

    private final LiveSession session;
    private final ChatService chat;
    private final SessionRecorder sessions;
    private final CommandParser parser;
    private final GatewaySettings settings;
    private final ChatMetrics metrics;
    private final FileTransfers transfers;
    // Small: an idle connection holds thousands of these (they grow when needed).
    private final ArrayDeque<Pending> pending = new ArrayDeque<>(4);
    /** The PUT whose body is arriving, or null. */
    private Upload upload;
    /** The previous upload's reply: the next one starts after it. */
    private CompletableFuture<Response> lastUpload = CompletableFuture.completedFuture(null);
    /** The GET whose bytes are going out: replies and events wait until it is done. */
    private Download download;

    private boolean uploadPaused;
    private long heldBytes;

    private ChannelHandlerContext ctx;
    private ChatClient client;
    /** Events held back while a LOGIN's offline messages are fetched, so those come first. */
    private List<OutboundLine> held;
    /** Lines read while we must wait (Strings), or ready error replies, in arrival order. */
    private final ArrayDeque<Object> inbox = new ArrayDeque<>(4);

    private boolean paused;
    /** HISTORY replies owed and not yet written: at most one, as each may be large (see mustWait). */
    private int historyOwed;

    private static final AtomicIntegerFieldUpdater<ClientHandler> DRAIN_SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(ClientHandler.class, "drainScheduled");
    private volatile int drainScheduled;
    private ScheduledFuture<?> retry;
    private boolean closing;
    private boolean shuttingDown;
    private boolean loggedOff;
    private boolean lastLineQueued;
    private volatile String certificateId;
    private boolean lastLineWritten;
    private String endReason;

    private Heartbeat heartbeat;
    private ScheduledFuture<?> loginDeadline;
    private ScheduledFuture<?> slowConsumerDeadline;

    ClientHandler(
            LiveSession session,
            ChatService chat,
            SessionRecorder sessions,
            CommandParser parser,
            GatewaySettings settings,
            ChatMetrics metrics,
            FileTransfers transfers) {
        this.transfers = transfers;
        this.metrics = metrics;
        this.session = session;
        this.chat = chat;
        this.sessions = sessions;
        this.parser = parser;
        this.settings = settings;
    }

    @Override
    public LiveSession session() {
        return session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.client = chat.connect(this);
        this.heartbeat = new Heartbeat(session, settings, ctx.executor(), new Heartbeat.Link() {
            @Override
            public boolean writeLine(String line) {
                return ClientHandler.this.writeLine(line);
            }

            @Override
            public void timedOut() {
                closeWithBye("ping timeout", "ping timeout");
            }

            @Override
            public boolean closing() {
                return closing || !ctx.channel().isActive();
            }

            @Override
            public boolean readingPaused() {
                return ClientHandler.this.readingPaused();
            }
        });
        session.control(this);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        writeLine(Lines.hello(settings.serverName()));
        loginDeadline = ctx.executor()
                .schedule(
                        () -> {
                            if (session.clientId() == null) {
                                closeWithBye("login timeout", "login timeout");
                            }
                        },
                        settings.loginDeadline().toMillis(),
                        TimeUnit.MILLISECONDS);
        heartbeat.start();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg == RateLimited.INSTANCE) {
            session.addLinesIn(1);
            session.recordIn("<a line over the rate limit, not executed>");
            if (!closing) {
                accept(RATE_LIMITED);
            }
            return;
        }
        if (msg instanceof FileBody piece) {
            if (closing) {
                piece.data().release();
            } else if (inbox.isEmpty()) {
                body(piece);
            } else {
                inbox.add(piece);
            }
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        try {
            session.addLinesIn(1);
            if (closing) {
                return;
            }
            heartbeat.alive();
            if (ByteBufUtil.isText(frame, StandardCharsets.UTF_8)) {
                String line = frame.toString(StandardCharsets.UTF_8);
                session.recordIn(Redactor.redact(line));
                accept(line);
            } else {
                session.recordIn("<" + frame.readableBytes() + " bytes that are not UTF-8>");
                accept(INVALID_UTF8);
            }
        } finally {
            frame.release();
        }
    }

    /**
     * Runs a line now, or keeps it in the inbox while this connection has too many
     * replies waiting for the database or the database writer is backlogged. Reading
     * stops meanwhile, so the inbox holds at most what one socket read brought in.
     */
    private void accept(Object lineOrReply) {
        if (inbox.isEmpty() && !mustWait()) {
            run(lineOrReply);
        } else {
            inbox.add(lineOrReply);
            pause();
        }
    }

    /**
     * Commands wait while this connection has too many replies owed, while the database
     * writer is backlogged, while the client is not reading what it was sent (replies
     * count against the same outbound bound as events: no more commands run until the
     * backlog is under the mark, and a client that stays above it is closed as a slow
     * consumer), and, for a HISTORY, while another HISTORY's reply (up to 500 lines) is
     * still owed.
     */
    private boolean mustWait() {
        return pending.size() >= settings.maxPendingReplies()
                || chat.backlogged()
                || !ctx.channel().isWritable()
                || (historyOwed > 0 && inbox.peekFirst() instanceof Command.History);
    }

    /** Reading paused by the server itself (not the client's doing): the reading deadlines wait too. */
    private boolean readingPaused() {
        return paused || uploadPaused;
    }

    @SuppressWarnings("unchecked")
    private void run(Object lineOrReply) {
        if (lineOrReply instanceof String line) {
            execute(line);
        } else if (lineOrReply instanceof FileBody piece) {
            body(piece);
        } else if (lineOrReply instanceof Command command) {
            execute(command);
        } else {
            respond((CompletableFuture<Response>) lineOrReply, false);
        }
    }

    private void execute(String line) {
        Command command;
        try {
            command = parser.parse(line);
        } catch (ProtocolException e) {
            respond(CompletableFuture.completedFuture(Response.reply(e.code(), e.reason())), false);
            return;
        }
        execute(command);
    }

    private void execute(Command command) {
        if (command instanceof Command.Blank) {
            return;
        }
        if (command instanceof Command.History && historyOwed > 0) {
            inbox.addFirst(command); // mustWait() holds it until the HISTORY before it is written
            pause();
            return;
        }
        if (command instanceof Command.Pong pong) {
            heartbeat.pong(pong.token());
            return;
        }
        if (command instanceof Command.Put put) {
            upload = startUpload(put);
            respond(upload.result(), false);
            if (!client.loggedIn()) {
                putBeforeLogin(); // the 401 says BYE and closes
            }
            return;
        }
        if (command instanceof Command.Get get) {
            respond(transfers.get(client, get), false);
            return;
        }
        if (command instanceof Command.Quit) {
            closing = true;
            endReason = "quit";
            ctx.channel().config().setAutoRead(false);
        }
        boolean login = command instanceof Command.Login;
        if (login && held == null) {
            held = new ArrayList<>();
        }
        if (command instanceof Command.Logoff) {
            loggedOff = true;
        }
        long start = command instanceof Command.Msg || command instanceof Command.MsgAll ? System.nanoTime() : 0;
        boolean history = command instanceof Command.History;
        if (history) {
            historyOwed++;
        }
        respond(chat.handle(client, command), login, start, history);
    }

    // Files ---------------------------------------------------------------------

    private Upload startUpload(Command.Put put) {
        FileTransfers.Admission a = transfers.admit(client, put);
        if (a.refusal() != null) {
            return Upload.refused(a.refusal());
        }
        Upload u = new Upload(a.admitted(), transfers, ctx.executor(), flow(), lastUpload);
        lastUpload = u.result();
        return u;
    }

    private Upload.Flow flow() {
        return new Upload.Flow() {
            @Override
            public void pauseReading() {
                uploadPaused = true;
                ctx.channel().config().setAutoRead(false);
            }

            @Override
            public void resumeReading() {
                uploadPaused = false;
                if (!paused && !closing) {
                    ctx.channel().config().setAutoRead(true);
                }
            }
        };
    }

    /**
     * A piece of a PUT's body. With no upload (the PUT line was refused before it
     * was parsed: 429, invalid UTF-8, a bad name) the bytes are simply dropped.
     */
    private void body(FileBody piece) {
        heartbeat.alive();
        if (upload == null) {
            piece.data().release();
            if (!client.loggedIn() && !closing) {
                // The PUT line was refused before it ran (400, 429): its body is not read either.
                closeWithBye("PUT before LOGIN", "put before login");
            }
            return;
        }
        Upload u = upload;
        if (piece.last()) {
            upload = null;
        }
        u.feed(piece);
    }

    /**
     * A PUT before LOGIN is answered, then the connection closes: its body (up to
     * 10^18 bytes) is not read. Reading it would let anyone keep a connection busy
     * at full line rate until the login deadline.
     */
    private void putBeforeLogin() {
        closing = true;
        endReason = "put before login";
        ctx.channel().config().setAutoRead(false);
    }

    private void startDownload(Response.Body body) {
        download = new Download(ctx, body, transfers.store().io(), () -> {
            transfers.fetched(body);
            download = null;
            boolean loginWaiting = pending.stream().anyMatch(Pending::endsHold);
            if (!loginWaiting) {
                releaseHeld();
            }
            drain();
        });
        if (held == null) {
            held = new ArrayList<>();
        }
        download.start();
    }

    private void releaseHeld() {
        if (held != null) {
            List<OutboundLine> events = held;
            held = null;
            heldBytes = 0;
            events.forEach(this::deliver);
        }
    }

    private void clearInbox() {
        for (Object o : inbox) {
            if (o instanceof FileBody piece) {
                piece.data().release();
            }
        }
        inbox.clear();
    }

    // Replies, in command order ------------------------------------------------

    private void respond(CompletableFuture<Response> reply, boolean endsHold) {
        respond(reply, endsHold, 0, false);
    }

    private void respond(CompletableFuture<Response> reply, boolean endsHold, long startNanos, boolean history) {
        if (pending.isEmpty() && reply.isDone() && download == null) {
            write(reply, endsHold, startNanos, history);
            return;
        }
        pending.add(new Pending(reply, endsHold, startNanos, history));
        // Always, even if it completed a moment ago: checking isDone() first would race the
        // database writer, and a reply completed between the check and here would never drain.
        reply.whenComplete((r, e) -> drainSoon());
        if (pending.size() >= settings.maxPendingReplies()) {
            pause();
        }
    }

    /**
     * Called by whichever thread completed a reply (the database writer completes a
     * whole batch at once): one task on this connection's event loop drains every
     * reply completed meanwhile, instead of one task (and wake-up) per reply.
     */
    private void drainSoon() {
        if (DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            ctx.executor().execute(this::drainScheduled);
        }
    }

    private void drainScheduled() {
        drainScheduled = 0; // before draining: a reply completed from now on schedules again
        drain();
    }

    /** Writes the replies that are ready, in order, then runs what waited in the inbox. */
    private void drain() {
        while (download == null && !pending.isEmpty() && pending.peek().reply.isDone()) {
            Pending p = pending.poll();
            write(p.reply, p.endsHold, p.startNanos, p.history);
        }
        while (!inbox.isEmpty() && !closing && !mustWait()) {
            run(inbox.poll());
        }
        if (closing) {
            clearInbox();
        }
        if (paused && inbox.isEmpty() && !mustWait()) {
            paused = false;
            if (!closing && !uploadPaused) {
                ctx.channel().config().setAutoRead(true);
            }
        } else if (paused && pending.isEmpty() && ctx.channel().isWritable()) {
            // Waiting on the writer's backlog, with no reply of ours to wake us: look again shortly.
            // (Waiting for the client to read: channelWritabilityChanged wakes us.)
            retryLater();
        }
        if (shuttingDown && pending.isEmpty()) {
            closeWithBye("server shutting down", "server shutdown");
        }
    }

    private void pause() {
        if (!paused) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
        }
        if (pending.isEmpty() && ctx.channel().isWritable()) {
            retryLater();
        }
    }

    private void retryLater() {
        if (retry == null && ctx.channel().isActive()) {
            retry = ctx.executor()
                    .schedule(
                            () -> {
                                retry = null;
                                drain();
                            },
                            BACKLOG_RETRY_MILLIS,
                            TimeUnit.MILLISECONDS);
        }
    }

    private void write(CompletableFuture<Response> reply, boolean endsHold, long startNanos, boolean history) {
        if (history) {
            historyOwed--;
        }
        if (!ctx.channel().isActive()) {
            return;
        }
        Response r = reply.isCompletedExceptionally()
                ? Response.reply(ReplyCodes.UNAVAILABLE, "server busy, try again")
                : reply.join();
        if (r.text().charAt(0) >= '4') {
            metrics.refused(r.text().substring(0, 3));
        } else if (startNanos != 0) {
            metrics.acknowledged(System.nanoTime() - startNanos);
        }
        if (r.messages() > 0) {
            metrics.delivered(r.messages());
        }
        if (loginDeadline != null && session.clientId() != null) {
            loginDeadline.cancel(false); // logged in: one scheduled task less per idle connection
            loginDeadline = null;
        }
        session.addLinesOut(r.lines());
        session.addMessagesOut(r.messages());
        session.recordOut(r.text());
        if (r.close()) {
            writeLast(r.text());
            return;
        }
        ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), r.text()));
        if (r.body() != null) {
            startDownload(r.body());
        } else if (endsHold && download == null) {
            releaseHeld();
        }
    }

    // Events --------------------------------------------------------------------

    @Override
    public String certificateId() {
        return certificateId;
    }

    @Override
    public Executor executor() {
        return ctx.executor();
    }

    @Override
    public void send(OutboundLine event) {
        // Always through the event loop's task queue, even from this loop: a broadcast's
        // share for this loop is a task queued there too, so one sender's events reach
        // this client in the order they were sent.
        ctx.executor().execute(() -> deliver(event));
    }

    @Override
    public void sendInLoop(OutboundLine event) {
        deliver(event);
    }

    @Override
    public boolean keepingUp() {
        return ctx.channel().isWritable();
    }

    private void deliver(OutboundLine event) {
        if (!ctx.channel().isActive() || lastLineWritten) {
            return;
        }
        if (held != null) {
            held.add(event);
            heldBytes += event.bytes().length;
            if (download != null && heldBytes > 4 * settings.slowConsumerBacklog()) {
                // A download that takes so long that its events pile up: as if unread.
                dropSlowConsumer();
            }
            return;
        }
        if (overHardBacklog()) {
            dropSlowConsumer();
            return;
        }
        session.addLinesOut(1);
        session.recordOut(event);
        if (event.isMessage()) {
            session.addMessagesOut(1);
            metrics.delivered(1);
        }
        // A void promise: no promise object per delivered line (failures reach exceptionCaught).
        ctx.write(
                event.isShared()
                        ? event.shared(ClientHandler::offHeap).duplicate()
                        : Unpooled.wrappedBuffer(event.bytes()),
                ctx.voidPromise());
        ctx.flush();
    }

    /**
     * One off-heap copy of a line with many recipients, freed by the garbage collector
     * with the line (release is a no-op on it, so a recipient that drops its duplicate
     * unwritten cannot free it under the others).
     */
    private static ByteBuf offHeap(byte[] bytes) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
    }

    /** False when nothing may be written now: a GET's bytes are going out (heartbeats just wait). */
    private boolean writeLine(String line) {
        if (download != null) {
            return false;
        }
        session.addLinesOut(1);
        session.recordOut(line);
        ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), line));
        return true;
    }

    // Slow consumers ------------------------------------------------------------

    /**
     * Above the high water mark ({@code chat.limits.slow-consumer-backlog}) the client
     * is not keeping up: if it is still there after the grace period, or its backlog
     * reaches four times the mark, it is closed, so one stuck reader never grows the
     * heap without bound.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable() && slowConsumerDeadline == null) {
            slowConsumerDeadline = ctx.executor()
                    .schedule(
                            () -> {
                                slowConsumerDeadline = null;
                                if (!ctx.channel().isWritable()) {
                                    dropSlowConsumer();
                                }
                            },
                            settings.slowConsumerGrace().toMillis(),
                            TimeUnit.MILLISECONDS);
        } else if (ctx.channel().isWritable() && slowConsumerDeadline != null) {
            slowConsumerDeadline.cancel(false);
            slowConsumerDeadline = null;
        }
        if (ctx.channel().isWritable() && download != null) {
            download.writable();
        }
        if (ctx.channel().isWritable() && paused) {
            drain(); // the commands that waited for the client to read
        }
        ctx.fireChannelWritabilityChanged();
    }

    private boolean overHardBacklog() {
        return !ctx.channel().isWritable() && ctx.channel().bytesBeforeWritable() > 3 * settings.slowConsumerBacklog();
    }

    /** It does not read, so a BYE would never arrive: leave the chat and close now. */
    private void dropSlowConsumer() {
        if (!ctx.channel().isActive() || lastLineWritten) {
            return;
        }
        metrics.refused("slow consumer");
        endReason = "slow consumer";
        closing = true;
        lastLineWritten = true;
        lastLineQueued = true;
        chat.disconnected(client);
        ctx.close();
    }

    // Heartbeat -----------------------------------------------------------------

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof CloseRequest r) {
            metrics.refused(r.metric());
            endReason = r.endReason();
            closeWith(r.lastLine(), r.endReason());
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent hs) {
            if (hs.isSuccess()) {
                certificateId = CertificateNames.commonName(ctx.pipeline().get(SslHandler.class));
            }
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (evt instanceof IdleStateEvent) {
            heartbeat.idle();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    // Closing -------------------------------------------------------------------

    /** Graceful shutdown: read nothing more, finish the replies owed, then say BYE. */
    void shutdown() {
        shuttingDown = true;
        closing = true;
        ctx.channel().config().setAutoRead(false);
        drain();
    }

    private void closeWithBye(String bye, String reason) {
        metrics.refused(bye);
        closeWith(Lines.bye(bye), reason);
    }

    /** From any thread: an operator's kick, a ban. */
    @Override
    public void close(String lastLine, String reason) {
        ctx.executor().execute(() -> {
            endReason = reason;
            closeWith(lastLine, reason);
        });
    }

    private void closeWith(String lastLine, String reason) {
        if (!ctx.channel().isActive()) {
            return;
        }
        closing = true;
        if (endReason == null || shuttingDown) {
            endReason = reason;
        }
        clearInbox();
        ctx.channel().config().setAutoRead(false);
        session.addLinesOut(1);
        session.recordOut(lastLine);
        writeLast(lastLine);
    }

    /**
     * The last line, then close. The client leaves the chat first, so nothing more is
     * routed to it (a sender now gets 202 and the message waits for its next LOGIN);
     * what was routed to it before is already queued on this event loop, so writing
     * the last line in a task of its own puts it after those events, never before.
     */
    private void writeLast(String text) {
        if (lastLineQueued) {
            return;
        }
        lastLineQueued = true;
        chat.disconnected(client);
        ctx.executor().execute(() -> {
            lastLineWritten = true;
            if (download != null) {
                // Mid-file, a line would read as file bytes: the short body and the close say it.
                download.abort();
                ctx.close();
                return;
            }
            ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), text)).addListener(ChannelFutureListener.CLOSE);
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        heartbeat.stop();
        for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {retry, loginDeadline, slowConsumerDeadline}) {
            if (f != null) {
                f.cancel(false);
            }
        }
        clearInbox();
        if (upload != null) {
            upload.abort();
            upload = null;
        }
        if (download != null) {
            download.abort();
        }
        chat.disconnected(client);
        String reason = endReason;
        if (reason == null) {
            reason = loggedOff && !client.loggedIn() ? "logoff" : "client closed";
        }
        sessions.close(session, reason);
        pending.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            session.addLinesIn(1);
            session.recordIn("<line over the length limit, discarded>");
            if (!closing) {
                accept(LINE_TOO_LONG);
            }
        } else if (cause.getCause() instanceof SSLException || cause instanceof SSLException) {
            // A failed or abandoned handshake, or plain text on the TLS port: the client's doing.
            log.debug("session {}: TLS: {}", session.id(), cause.toString());
            metrics.refused("tls handshake");
            if (endReason == null) {
                endReason = "tls error";
            }
            ctx.close();
        } else if (cause instanceof IOException) {
            // Reset by peer and the like: the client went away.
            log.debug("session {}: {}", session.id(), cause.toString());
            ctx.close();
        } else {
            ProcessGuard.haltIfFatal(cause);
            log.warn("session {} closed after an unexpected error", session.id(), cause);
            if (endReason == null) {
                endReason = "error";
            }
            ctx.close();
        }
    }

    /** A reply owed; {@code startNanos} is set for MSG commands, whose acknowledgement latency is measured. */
    private record Pending(CompletableFuture<Response> reply, boolean endsHold, long startNanos, boolean history) {}
}
