package io.chatmsg.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One timer per event loop for the {@link Heartbeat}s of its connections: every tick it
 * walks them and each sends what is due (a latency probe, an idle PING). An idle
 * connection then holds no scheduled task of its own, only two links of this loop's
 * list. The tick is a sixteenth of the shortest of {@code chat.limits.idle-timeout}
 * and {@code chat.latency.interval}, between 10 ms and 1 s (with the defaults, 1 s: an
 * idle PING goes out 60 to 61 s after the last read). The timer runs only while the
 * loop has connections. Confined to the loop, like the heartbeats.
 */
final class HeartbeatSweep implements Runnable {

    /** The sweeps of one listener's connections, one per event loop. */
    static final class PerLoop {
        private final GatewaySettings settings;
        private final ConcurrentHashMap<EventExecutor, HeartbeatSweep> sweeps = new ConcurrentHashMap<>();

        PerLoop(GatewaySettings settings) {
            this.settings = settings;
        }

        HeartbeatSweep of(EventExecutor loop) {
            return sweeps.computeIfAbsent(loop, l -> new HeartbeatSweep(l, settings));
        }
    }

    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EventExecutor loop;
    private final GatewaySettings settings;
    private final long tickNanos;

    /** The loop's heartbeats, newest first (a list through their own links). */
    private Heartbeat first;
    /** The next heartbeat a tick visits: a heartbeat that leaves meanwhile moves it on. */
    private Heartbeat cursor;

    private ScheduledFuture<?> timer;
    /** Numbers the PINGs of this loop (their tokens are unique per connection). */
    private long pings;

    HeartbeatSweep(EventExecutor loop, GatewaySettings settings) {
        this.loop = loop;
        this.settings = settings;
        long shortest = Long.MAX_VALUE;
        long idle = settings.idleTimeout().toNanos();
        long every = settings.latencyInterval().toNanos();
        if (idle > 0) {
            shortest = idle;
        }
        if (every > 0) {
            shortest = Math.min(shortest, every);
        }
        this.tickNanos = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, shortest / 16));
    }

    GatewaySettings settings() {
        return settings;
    }

    EventExecutor loop() {
        return loop;
    }

    /** The loop's clock (its ticker: the system's nanosecond clock, but for tests). */
    long now() {
        return loop.ticker().nanoTime();
    }

    long tickNanos() {
        return tickNanos;
    }

    long nextPing() {
        return ++pings;
    }

    void add(Heartbeat h) {
        h.next = first;
        h.prev = null;
        if (first != null) {
            first.prev = h;
        }
        first = h;
        h.linked = true;
        if (timer == null) {
            timer = loop.scheduleAtFixedRate(this, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    void remove(Heartbeat h) {
        if (!h.linked) {
            return;
        }
        if (cursor == h) {
            cursor = h.next;
        }
        if (h.prev != null) {
            h.prev.next = h.next;
        } else {
            first = h.next;
        }
        if (h.next != null) {
            h.next.prev = h.prev;
        }
        h.next = null;
        h.prev = null;
        h.linked = false;
        if (first == null && timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The tick: every heartbeat of the loop sends what is due. */
    @Override
    public void run() {
        long now = now();
        cursor = first;
        while (cursor != null) {
            Heartbeat h = cursor;
            cursor = h.next;
            h.tick(now);
        }
    }

    /** Heartbeats in the list (tests). */
    int size() {
        int n = 0;
        for (Heartbeat h = first; h != null; h = h.next) {
            n++;
        }
        return n;
    }

    boolean ticking() {
        return timer != null;
    }
}
