package io.chatmsg.gateway;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.chatmsg.chat.Response;

/**
 * Writes one connection's replies strictly in command order, even when some wait
 * for the database: a reply that is ready waits for the ones before it. Replies
 * complete on any thread (the database writer completes a whole batch at once);
 * one task on the connection's own thread then writes every reply completed
 * meanwhile, instead of one task (and wake-up) per reply. Everything but the
 * completion callback runs on {@code loop}.
 */
final class ReplySequencer {

    /** A reply owed; {@code startNanos} is set for MSG commands, whose acknowledgement latency is measured. */
    record Owed(CompletableFuture<Response> reply, boolean endsHold, long startNanos, boolean history) {

        static Owed of(CompletableFuture<Response> reply) {
            return new Owed(reply, false, 0, false);
        }
    }

    /** Where the replies go. */
    interface Writer {
        /** False while nothing may be written (a GET's bytes are going out): replies wait. */
        boolean canWrite();

        void write(Owed owed);

        /**
         * On the loop, after owed replies completed: calls {@link #writeReady()} (and may
         * then run what waited for the replies).
         */
        void completed();
    }

    private static final AtomicIntegerFieldUpdater<ReplySequencer> SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(ReplySequencer.class, "scheduled");

    private final Executor loop;
    private final Writer writer;
    /** Replies owed, oldest first; null while none (most of an idle connection's life). */
    private ArrayDeque<Owed> owed;

    private int historyOwed;
    private volatile int scheduled;

    ReplySequencer(Executor loop, Writer writer) {
        this.loop = loop;
        this.writer = writer;
    }

    /** A reply owed to the command just run: written now if nothing is before it. */
    void add(Owed o) {
        if (o.history()) {
            historyOwed++;
        }
        if (owed == null && o.reply().isDone() && writer.canWrite()) {
            write(o);
            return;
        }
        if (owed == null) {
            owed = new ArrayDeque<>(4);
        }
        owed.add(o);
        // Always, even if it completed a moment ago: checking isDone() first would race the
        // database writer, and a reply completed between the check and here would never be written.
        o.reply().whenComplete((r, e) -> completedSoon());
    }

    /** Writes the replies that are ready, in order, up to the first that is not. */
    void writeReady() {
        while (owed != null && writer.canWrite() && owed.peek().reply().isDone()) {
            Owed o = owed.poll();
            if (owed.isEmpty()) {
                owed = null;
            }
            write(o);
        }
    }

    private void write(Owed o) {
        if (o.history()) {
            historyOwed--;
        }
        writer.write(o);
    }

    int size() {
        return owed == null ? 0 : owed.size();
    }

    boolean isEmpty() {
        return owed == null;
    }

    /** HISTORY replies owed and not yet written (each may be 500 lines long). */
    int historyOwed() {
        return historyOwed;
    }

    /** True when an owed reply ends the hold on events (a LOGIN's, whose offline messages come first). */
    boolean endsHoldOwed() {
        return owed != null && owed.stream().anyMatch(Owed::endsHold);
    }

    /** The connection closed: nothing more is written. */
    void clear() {
        owed = null;
        historyOwed = 0;
    }

    private void completedSoon() {
        if (SCHEDULED.compareAndSet(this, 0, 1)) {
            loop.execute(this::completedNow);
        }
    }

    private void completedNow() {
        scheduled = 0; // before writing: a reply completed from now on schedules again
        writer.completed();
    }
}
