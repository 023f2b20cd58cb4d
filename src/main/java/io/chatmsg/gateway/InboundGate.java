package io.chatmsg.gateway;

import java.util.concurrent.TimeUnit;

import io.chatmsg.protocol.Command;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Inbound flow control for one connection's commands. While the connection owes
 * too many replies, the database writer is backlogged or the client does not
 * read what it was sent, commands wait: the one that arrived is parked here and
 * reading stops; whatever the last read had already framed waits, in order, in
 * Netty's {@code FlowControlHandler} ahead of the command handler, which hands on
 * one message per read while reading is off. When nothing must wait any more the
 * parked one runs and reading resumes. Event loop only.
 */
final class InboundGate {

    private static final long BACKLOG_RETRY_MILLIS = 5;

    private final ChatConnection connection;
    private final ReplySequencer replies;
    private final CommandHandler commands;
    /** A line, body piece, ready reply or command that arrived while commands had to wait; or null. */
    private Object parked;

    private ScheduledFuture<?> retry;

    InboundGate(CommandHandler commands, ChatConnection connection, ReplySequencer replies) {
        this.commands = commands;
        this.connection = connection;
        this.replies = replies;
    }

    /** Runs it now, or parks it while commands must wait (reading stops meanwhile). */
    void accept(Object item) {
        if (parked == null && !mustWait()) {
            commands.run(item);
        } else {
            park(item);
        }
    }

    /**
     * A piece of a PUT's body runs now unless something is parked before it: it is never
     * held back by the replies owed (the PUT's own reply, owed until the body is stored,
     * may be the one that reaches the limit) nor by a backlog.
     */
    void acceptBody(FileBody piece) {
        if (parked == null) {
            commands.run(piece);
        } else {
            park(piece);
        }
    }

    /** Holds {@code item} (the next to run) until nothing must wait. */
    void park(Object item) {
        if (parked != null) {
            // Reading stopped when the first was parked; the flow-control handler holds the rest.
            throw new IllegalStateException("a second command arrived while one was parked");
        }
        parked = item;
        pause();
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
        return replies.size() >= maxPendingReplies()
                || commands.shared().chat().backlogged()
                || !connection.context().channel().isWritable()
                || (parked instanceof Command.History && replies.historyOwed() > 0);
    }

    private int maxPendingReplies() {
        return commands.shared().settings().maxPendingReplies();
    }

    /** After a command: too many replies owed stops reading. */
    void ran() {
        if (replies.size() >= maxPendingReplies()) {
            pause();
        }
    }

    boolean waiting() {
        return connection.pausedBy(ChatConnection.PAUSED_BY_COMMANDS);
    }

    /** Runs what waited, and reads again when nothing must wait. */
    void drain() {
        while (parked != null && !connection.closing() && (parked instanceof FileBody || !mustWait())) {
            Object item = parked;
            parked = null;
            commands.run(item);
        }
        if (connection.closing()) {
            drop();
        }
        if (waiting() && parked == null && !mustWait()) {
            connection.resumeReading(ChatConnection.PAUSED_BY_COMMANDS);
        } else if (waiting()
                && replies.isEmpty()
                && connection.context().channel().isWritable()) {
            // Waiting on the writer's backlog, with no reply of ours to wake us: look again shortly.
            // (Waiting for the client to read: channelWritabilityChanged wakes us.)
            retryLater();
        }
    }

    private void pause() {
        connection.pauseReading(ChatConnection.PAUSED_BY_COMMANDS);
        if (replies.isEmpty() && connection.context().channel().isWritable()) {
            retryLater();
        }
    }

    private void retryLater() {
        ChannelHandlerContext ctx = connection.context();
        if (retry == null && ctx.channel().isActive()) {
            retry = ctx.executor()
                    .schedule(
                            () -> {
                                retry = null;
                                connection.drain();
                            },
                            BACKLOG_RETRY_MILLIS,
                            TimeUnit.MILLISECONDS);
        }
    }

    /** The connection is closing: what waited is dropped. */
    void drop() {
        if (parked instanceof FileBody piece) {
            piece.data().release();
        }
        parked = null;
    }

    void closed() {
        if (retry != null) {
            retry.cancel(false);
        }
        drop();
    }
}
