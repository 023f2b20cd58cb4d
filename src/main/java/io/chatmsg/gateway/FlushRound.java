package io.chatmsg.gateway;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import io.chatmsg.config.ChatMetrics;
import io.chatmsg.protocol.OutboundLine;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The events one event loop routed since its last round, and who they are for.
 * An {@link Outbox} does not write each event to its channel: it appends it to its
 * chain in the round's arrays. The first event of a round queues one task to run
 * after the loop's current pass over its tasks (a broadcast's share, direct
 * messages, those that arrive meanwhile), and each outbox then writes its chain to its channel as one buffer
 * and flushes: one outbound entry and one system call per client per round,
 * however many events the round brought it. Messages delivered are counted once
 * per round, not once per recipient. Event loop only: one instance per thread.
 *
 * <p>A round ends early, at once, when its events pass {@link #MAX_LINES} or
 * {@link #MAX_BYTES}: what a loop holds back is bounded.
 */
final class FlushRound implements Runnable {

    static final int MAX_LINES = 32_768;

    static final int MAX_BYTES = 1 << 20;

    /** The round of the thread's loop: an event loop's thread has one loop. */
    private static final FastThreadLocal<FlushRound> ROUNDS = new FastThreadLocal<>();

    /** Every loop's round on a thread with many (tests: each EmbeddedChannel has its own loop). */
    private static final FastThreadLocal<Map<EventExecutor, FlushRound>> BY_LOOP = new FastThreadLocal<>() {
        @Override
        protected Map<EventExecutor, FlushRound> initialValue() {
            return new WeakHashMap<>();
        }
    };

    private final EventExecutor loop;
    private List<Outbox> written = new ArrayList<>();
    private List<Outbox> flushing = new ArrayList<>();
    /** The round's events; {@link #next} chains each outbox's own, in order ({@code -1} ends a chain). */
    private OutboundLine[] lines = new OutboundLine[256];

    private int[] next = new int[256];
    private int count;
    private long bytes;
    private boolean queued;
    private boolean running;
    private ChatMetrics metrics;
    private int delivered;

    private FlushRound(EventExecutor loop) {
        this.loop = loop;
    }

    /** This loop's round; {@code loop} must be the calling thread's. */
    static FlushRound of(EventExecutor loop) {
        FlushRound round = ROUNDS.get();
        if (round == null || round.loop != loop) {
            // A loop's round lives as long as the loop: its chains point into it.
            round = BY_LOOP.get().computeIfAbsent(loop, FlushRound::new);
            ROUNDS.set(round);
        }
        return round;
    }

    /** {@code outbox} has events this round (once per round: the outbox keeps its own flag). */
    void written(Outbox outbox) {
        written.add(outbox);
        queue();
    }

    /**
     * Adds {@code line} after the event at {@code after} ({@code -1}: the first of a
     * chain); returns where it is. The caller ends the round when {@link #full()}.
     */
    int append(OutboundLine line, int after) {
        if (count == lines.length) {
            lines = Arrays.copyOf(lines, count * 2);
            next = Arrays.copyOf(next, count * 2);
        }
        int at = count++;
        lines[at] = line;
        next[at] = -1;
        if (after >= 0) {
            next[after] = at;
        }
        bytes += line.bytes().length;
        return at;
    }

    OutboundLine line(int at) {
        return lines[at];
    }

    /** The event after the one at {@code at} in its chain, or -1. */
    int next(int at) {
        return next[at];
    }

    /** Past a bound: the round should end now, not when its task comes. */
    boolean full() {
        return (count >= MAX_LINES || bytes >= MAX_BYTES) && !running;
    }

    /** A message event was written: counted at the end of the round. */
    void delivered(ChatMetrics metrics) {
        if (metrics != this.metrics) {
            publish();
            this.metrics = metrics;
        }
        delivered++;
        queue();
    }

    private void queue() {
        if (!queued) {
            queued = true;
            if (loop instanceof SingleThreadEventLoop l) {
                // After every task the loop runs in this pass (up to Netty's per-pass limit,
                // 4,096 tasks), those queued while it runs them too: under load, a round
                // takes all the broadcasts that arrived meanwhile; when idle, it ends with
                // the task that began it.
                l.executeAfterEventLoopIteration(this);
            } else {
                loop.execute(this);
            }
        }
    }

    @Override
    public void run() {
        if (running) {
            return;
        }
        running = true;
        try {
            queued = false;
            publish();
            // Swapped first: a flush may fail a write whose handling routes events again.
            List<Outbox> now = written;
            written = flushing;
            flushing = now;
            for (int i = 0; i < now.size(); i++) {
                now.get(i).flush();
            }
            now.clear();
            if (written.isEmpty()) {
                // Every chain is out: the arrays start over (events routed while flushing
                // belong to outboxes in the next round, whose chains they still hold).
                Arrays.fill(lines, 0, count, null);
                count = 0;
                bytes = 0;
            }
        } finally {
            running = false;
        }
    }

    private void publish() {
        if (delivered > 0) {
            metrics.delivered(delivered);
            delivered = 0;
        }
    }
}
