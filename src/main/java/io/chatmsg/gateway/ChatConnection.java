package io.chatmsg.gateway;

import java.util.concurrent.Executor;

import io.chatmsg.chat.ChatClient;
import io.chatmsg.chat.ChatService;
import io.chatmsg.chat.Connection;
import io.chatmsg.chat.Response;
import io.chatmsg.config.ChatMetrics;
import io.chatmsg.protocol.Lines;
import io.chatmsg.protocol.OutboundLine;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionControl;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

/**
 * One TCP or TLS connection as the chat core sees it: a {@link Connection} that
 * takes events from any thread, and what the operator may do to it
 * ({@link SessionControl}). It writes the replies the {@link ReplySequencer} hands
 * it, the events routed to the client, the heartbeat's PINGs and the last line.
 * All state is confined to the channel's event loop; events from other threads
 * come through its task queue.
 */
final class ChatConnection
        implements Connection,
                SessionControl,
                Heartbeat.Link,
                ReplySequencer.Writer,
                SlowConsumerWatch.Reader,
                Outbox.Owner {

    /** Why reading is paused: bits of {@link #readPauses}. */
    static final int PAUSED_BY_COMMANDS = 1;

    static final int PAUSED_BY_UPLOAD = 2;

    private final LiveSession session;
    private final ChatService chat;
    private final ChatMetrics metrics;
    private final Heartbeat heartbeat;
    private final ChatClient client;

    private ChannelHandlerContext ctx;
    private CommandHandler commands;
    /** The connection's PUT and GET; created at the first. */
    private FileTransferState files;

    private final Outbox outbox;
    private int readPauses;
    private boolean closing;
    private boolean shuttingDown;
    private boolean loggedOff;
    private boolean lastLineQueued;
    private boolean lastLineWritten;
    private boolean awaitingLogin = true;
    private String endReason;

    ChatConnection(LiveSession session, ChatService chat, GatewaySettings settings, ChatMetrics metrics) {
        this.session = session;
        this.chat = chat;
        this.metrics = metrics;
        this.heartbeat = new Heartbeat(this);
        this.outbox = new Outbox(this, metrics, settings.slowConsumerBacklog());
        this.client = chat.connect(this);
    }

    /** Called by the command handler when it joins the pipeline. */
    void attach(ChannelHandlerContext ctx, CommandHandler commands) {
        this.ctx = ctx;
        this.commands = commands;
        session.control(this); // only now can a kick from the dashboard reach the channel
    }

    ChatClient client() {
        return client;
    }

    Heartbeat heartbeat() {
        return heartbeat;
    }

    @Override
    public ChannelHandlerContext context() {
        return ctx;
    }

    FileTransferState files() {
        if (files == null) {
            files = new FileTransferState(this, commands.shared().transfers());
        }
        return files;
    }

    /** HELLO (one string for every connection), and the heartbeat starts in its loop's sweep. */
    void opened(String hello, HeartbeatSweep.PerLoop heartbeats) {
        writeLine(hello);
        heartbeat.start(heartbeats.of(ctx.executor()));
    }

    @Override
    public LiveSession session() {
        return session;
    }

    @Override
    public Executor executor() {
        return ctx.executor();
    }

    @Override
    public String certificateId() {
        return ClientCertificate.of(ctx.channel());
    }

    // Reading ---------------------------------------------------------------------

    /** Stops reading for {@code why} (a bit): the socket is read again once no reason is left. */
    void pauseReading(int why) {
        readPauses |= why;
        ReadPause.stop(ctx);
    }

    void resumeReading(int why) {
        readPauses &= ~why;
        if (readPauses == 0 && !closing) {
            ReadPause.resume(ctx);
        }
    }

    boolean pausedBy(int why) {
        return (readPauses & why) != 0;
    }

    /** Reading paused by the server itself (not the client's doing): the reading deadlines wait too. */
    @Override
    public boolean readingPaused() {
        return readPauses != 0;
    }

    boolean closing() {
        return closing;
    }

    @Override
    public boolean closingOrClosed() {
        return closing || !ctx.channel().isActive();
    }

    /** QUIT or a PUT before LOGIN: nothing more is read or run; the reply owed closes. */
    void endAfterReply(String reason) {
        closing = true;
        endReason = reason;
        ReadPause.stop(ctx);
    }

    void loggedOff() {
        loggedOff = true;
    }

    @Override
    public boolean lastLineWritten() {
        return lastLineWritten;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    // Replies -----------------------------------------------------------------------

    @Override
    public boolean canWrite() {
        return files == null || !files.downloading();
    }

    @Override
    public void write(ReplySequencer.Owed owed) {
        if (!ctx.channel().isActive()) {
            return;
        }
        Response r = owed.reply().isCompletedExceptionally()
                ? GatewayReplies.BUSY
                : owed.reply().join();
        if (r.text().charAt(0) >= '4') {
            metrics.refused(r.text().substring(0, 3));
        } else if (owed.startNanos() != 0) {
            metrics.acknowledged(System.nanoTime() - owed.startNanos());
        }
        if (r.messages() > 0) {
            metrics.delivered(r.messages());
        }
        if (awaitingLogin && session.clientId() != null) {
            awaitingLogin = false;
            LoginDeadline.passed(ctx.pipeline()); // one scheduled task less per idle connection
        }
        session.addLinesOut(r.lines());
        session.addMessagesOut(r.messages());
        session.recordOut(r.text());
        if (r.close()) {
            writeLast(r.text());
            return;
        }
        outbox.writePending(); // the events routed before the reply stay before it
        ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), r.text()));
        if (r.body() != null) {
            files().startDownload(r.body());
        } else if (owed.endsHold() && canWrite()) {
            outbox.release();
        }
    }

    /** From now on events wait (a LOGIN's offline messages, or a GET's bytes, go first). */
    void holdEvents() {
        outbox.hold();
    }

    @Override
    public void completed() {
        commands.drain();
    }

    /** Writes what is ready and runs what waited (after a retry, a download). */
    void drain() {
        commands.drain();
    }

    /** A GET's bytes are all out: the replies and events that waited go now. */
    void downloaded() {
        if (!commands.endsHoldOwed()) {
            outbox.release();
        }
        commands.drain();
    }

    // Events ----------------------------------------------------------------------

    @Override
    public void send(OutboundLine event) {
        // Always through the event loop's task queue, even from this loop: a broadcast's
        // share for this loop is a task queued there too, so one sender's events reach
        // this client in the order they were sent.
        ctx.executor().execute(() -> outbox.deliver(event));
    }

    @Override
    public void sendInLoop(OutboundLine event) {
        outbox.deliver(event);
    }

    @Override
    public boolean keepingUp() {
        return ctx.channel().isWritable();
    }

    /** False when nothing may be written now: a GET's bytes are going out (heartbeats just wait). */
    @Override
    public boolean writeLine(String line) {
        if (!canWrite()) {
            return false;
        }
        session.addLinesOut(1);
        session.recordOut(line);
        outbox.writePending();
        ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), line));
        return true;
    }

    // Closing ---------------------------------------------------------------------

    @Override
    public void timedOut() {
        closeWithBye("ping timeout", "ping timeout");
    }

    /** Graceful shutdown: read nothing more, finish the replies owed, then say BYE. */
    void shutdown() {
        shuttingDown = true;
        closing = true;
        ReadPause.stop(ctx);
    }

    void closeWithBye(String bye, String reason) {
        metrics.refused(bye);
        closeWith(Lines.bye(bye), reason);
    }

    /** A guard's request (rate limiter, line deadline, login deadline, sniffer). */
    void closeRequested(CloseRequest r) {
        metrics.refused(r.metric());
        endReason = r.endReason();
        closeWith(r.lastLine(), r.endReason());
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
        commands.dropWaiting();
        ReadPause.stop(ctx);
        session.addLinesOut(1);
        session.recordOut(lastLine);
        writeLast(lastLine);
    }

    @Override
    public void dropSlowConsumer() {
        if (lastLineWritten || !ctx.channel().isActive()) {
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

    /** An error ended the connection (the tail handler's verdict), unless it was already ending for a reason. */
    void failed(String reason) {
        if (endReason == null) {
            endReason = reason;
        }
        ctx.close();
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
            if (canWrite()) {
                outbox.writePending(); // the events routed before it, then the last line
            }
            lastLineWritten = true;
            if (!canWrite()) {
                // Mid-file, a line would read as file bytes: the short body and the close say it.
                files.abort();
                ctx.close();
                return;
            }
            ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), text)).addListener(ChannelFutureListener.CLOSE);
        });
    }

    /** The channel is closed: leave the chat, end the transfers, and say why the session ended. */
    String closed() {
        heartbeat.stop();
        if (files != null) {
            files.abort();
        }
        chat.disconnected(client);
        if (endReason != null) {
            return endReason;
        }
        return loggedOff && !client.loggedIn() ? "logoff" : "client closed";
    }
}
