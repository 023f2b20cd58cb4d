package io.chatmsg.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.chatmsg.protocol.Lines;
import io.chatmsg.protocol.OutboundLine;

/**
 * {@code JOIN}/{@code LEAVE} to every logged-in client, in memory bounded by the
 * number of ids whatever the churn. Each event loop keeps batches of pending
 * changes with one entry per id: a change that follows an undelivered one for the
 * same id updates that entry, so {@code LOGIN z}/{@code LOGOFF z} a thousand times
 * over costs one entry, and nothing at all to deliver (the net change is none).
 * One task per batch delivers it to the loop's logged-in clients, each getting
 * only what changed after its own LOGIN. A recipient that is not keeping up
 * (above the slow-consumer mark) is skipped: presence is a state that WHO tells
 * again, and buffering it for a reader that does not read is how memory runs out.
 *
 * <p>Order: a change never overtakes a message its subject sent before it. A
 * change joins the open batch only if its subject has sent nothing since that
 * batch's task was queued; otherwise it opens a batch (and task) of its own. Past
 * {@value #MAX_BATCHES} batches queued on one loop, changes join the last one
 * anyway: under that much churn, memory wins over that ordering.
 */
final class PresenceEvents {

    static final int MAX_BATCHES = 64;

    private final AtomicLong clock = new AtomicLong();
    private final ConcurrentHashMap<Executor, Loop> loops = new ConcurrentHashMap<>();
    private final LongAdder skipped = new LongAdder();

    /** {@code c} has just logged in (on its own thread): others get JOIN, and c gets what changes from now. */
    void joined(ChatClient c) {
        long at = clock.incrementAndGet();
        c.presenceSince = at;
        loops.computeIfAbsent(c.connection.executor(), Loop::new).members.add(c);
        changed(c, true, at);
    }

    /** {@code c} is leaving (on its own thread), still holding its id. */
    void left(ChatClient c) {
        long at = clock.incrementAndGet();
        Loop mine = loops.get(c.connection.executor());
        if (mine != null) {
            mine.members.remove(c);
        }
        changed(c, false, at);
    }

    /** An id held on another node of the cluster came or went (on the thread that learnt it). */
    void changedElsewhere(ChatClient subject, boolean online) {
        changed(subject, online, clock.incrementAndGet());
    }

    /**
     * {@code c} has just queued an event for others (after queuing it): a later
     * change of c's must be delivered after it.
     */
    void sent(ChatClient c) {
        if (c != null) {
            c.lastSentAt = clock.get();
        }
    }

    /** Presence lines not sent to recipients that were not keeping up. */
    long skipped() {
        return skipped.sum();
    }

    /** Batches queued and not yet delivered, on all loops (tests and metrics). */
    int queuedBatches() {
        int n = 0;
        for (Loop l : loops.values()) {
            n += l.queued();
        }
        return n;
    }

    private void changed(ChatClient subject, boolean online, long at) {
        for (Loop l : loops.values()) {
            // A loop with nobody logged in has nobody to tell (whoever logs in there later
            // logs in after this change and gets nothing of it anyway).
            if (!l.members.isEmpty()) {
                try {
                    l.add(subject, online, at);
                } catch (RejectedExecutionException gone) {
                    loops.remove(l.executor, l); // an event loop of a gateway that has stopped
                }
            }
        }
    }

    /** One id's changes not yet delivered on one loop. */
    private static final class Change {
        final String key;
        String display;
        final boolean before;
        boolean now;
        final long first;
        long last;

        Change(String key, String display, boolean online, long at) {
            this.key = key;
            this.display = display;
            this.before = !online;
            this.now = online;
            this.first = at;
            this.last = at;
        }

        OutboundLine line() {
            return OutboundLine.event(now ? Lines.join(display) : Lines.leave(display));
        }
    }

    /** Changes delivered by one task. */
    private static final class Batch {
        final long openedAt;
        final LinkedHashMap<String, Change> changes = new LinkedHashMap<>();

        Batch(long openedAt) {
            this.openedAt = openedAt;
        }

        void add(ChatClient subject, boolean online, long at) {
            Change c = changes.get(subject.key);
            if (c == null) {
                changes.put(subject.key, new Change(subject.key, subject.displayId, online, at));
            } else {
                c.display = subject.displayId;
                c.now = online;
                c.last = at;
            }
        }
    }

    private final class Loop {
        final Executor executor;
        final Set<ChatClient> members = ConcurrentHashMap.newKeySet();
        private final ArrayDeque<Batch> batches = new ArrayDeque<>(); // guarded by this; the last is open

        Loop(Executor executor) {
            this.executor = executor;
        }

        synchronized int queued() {
            return batches.size();
        }

        void add(ChatClient subject, boolean online, long at) {
            boolean schedule = false;
            synchronized (this) {
                Batch open = batches.peekLast();
                if (open == null || (subject.lastSentAt >= open.openedAt && batches.size() < MAX_BATCHES)) {
                    open = new Batch(at);
                    batches.addLast(open);
                    schedule = true;
                }
                open.add(subject, online, at);
            }
            if (schedule) {
                executor.execute(this::deliverOne);
            }
        }

        /** On this loop: the oldest batch to this loop's logged-in clients. */
        private void deliverOne() {
            Batch b;
            synchronized (this) {
                b = batches.pollFirst();
            }
            if (b == null || b.changes.isEmpty()) {
                return;
            }
            // Most recipients logged in before every change of the batch: they get the net changes.
            long oldest = Long.MAX_VALUE;
            List<Change> net = new ArrayList<>();
            for (Change c : b.changes.values()) {
                oldest = Math.min(oldest, c.first);
                if (c.before != c.now) {
                    net.add(c);
                }
            }
            List<OutboundLine> netLines = new ArrayList<>(net.size());
            for (Change c : net) {
                OutboundLine line = c.line();
                line.share();
                netLines.add(line);
            }
            for (ChatClient r : members) {
                if (r.key == null) {
                    continue;
                }
                if (!r.connection.keepingUp()) {
                    skipped.add(b.changes.size());
                    continue;
                }
                if (r.presenceSince < oldest) {
                    for (int i = 0; i < net.size(); i++) {
                        if (!net.get(i).key.equals(r.key)) {
                            r.connection.sendInLoop(netLines.get(i));
                        }
                    }
                } else {
                    deliverTo(r, b);
                }
            }
        }

        /**
         * A client that logged in while the batch was filling: nothing from before its
         * LOGIN; the final state of an id that changed around it (at worst a JOIN or
         * LEAVE that repeats what its WHO would say).
         */
        private void deliverTo(ChatClient r, Batch b) {
            for (Change c : b.changes.values()) {
                if (c.key.equals(r.key) || r.presenceSince > c.last) {
                    continue;
                }
                if (r.presenceSince >= c.first || c.before != c.now) {
                    r.connection.sendInLoop(c.line());
                }
            }
        }
    }
}
