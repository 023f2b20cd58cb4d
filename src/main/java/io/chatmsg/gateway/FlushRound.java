package io.chatmsg.gateway;

import java.util.ArrayList;
import java.util.List;

import io.chatmsg.config.ChatMetrics;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The events one event loop wrote since its last round: the {@link Outbox}es to
 * flush, and the messages delivered, counted once per round instead of once per
 * recipient. The first event written in a round queues one task on the loop; it
 * runs after the tasks already queued (a broadcast's share, direct messages), so
 * the events several of them wrote to one client go out in one system call, as
 * the pipeline's flush consolidation would do, with one task per loop instead of
 * one per connection. Event loop only: one instance per thread.
 */
final class FlushRound implements Runnable {

    private static final FastThreadLocal<FlushRound> ROUNDS = new FastThreadLocal<>();

    private final EventExecutor loop;
    private List<Outbox> written = new ArrayList<>();
    private List<Outbox> flushing = new ArrayList<>();
    private boolean queued;
    private ChatMetrics metrics;
    private int delivered;

    private FlushRound(EventExecutor loop) {
        this.loop = loop;
    }

    /** This loop's round; {@code loop} must be the calling thread's. */
    static FlushRound of(EventExecutor loop) {
        FlushRound round = ROUNDS.get();
        if (round == null || round.loop != loop) {
            round = new FlushRound(loop);
            ROUNDS.set(round);
        }
        return round;
    }

    /** {@code outbox} wrote an event this round (once per round: the outbox keeps its own flag). */
    void written(Outbox outbox) {
        written.add(outbox);
        queue();
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
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        queued = false;
        publish();
        // Swapped first: a flush may fail a write whose handling writes again.
        List<Outbox> now = written;
        written = flushing;
        flushing = now;
        for (int i = 0; i < now.size(); i++) {
            now.get(i).flush();
        }
        now.clear();
    }

    private void publish() {
        if (delivered > 0) {
            metrics.delivered(delivered);
            delivered = 0;
        }
    }
}
