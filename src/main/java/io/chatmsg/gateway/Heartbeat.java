package io.chatmsg.gateway;

import java.util.concurrent.TimeUnit;

import io.chatmsg.protocol.Lines;
import io.chatmsg.session.LiveSession;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One connection's {@code PING}s (docs/protocol.md): after idle time
 * ({@code chat.limits.idle-timeout} with nothing read), with a deadline for any
 * line to come back ({@code BYE ping timeout} otherwise), and every
 * {@code chat.latency.interval} as a latency probe whose {@code PONG} is timed
 * into the session. One timer serves both the idle watch and the probes (an idle
 * connection holds one scheduled task, not two, and no idle-state handler), plus
 * the deadline while a PING is unanswered. Confined to the connection's event loop.
 */
final class Heartbeat implements Runnable {

    /** What the heartbeat needs of its connection. */
    interface Link {
        /** Writes a line now, or returns false when none may be written (a GET's bytes are going out). */
        boolean writeLine(String line);

        /** No answer in time: the connection ends with {@code BYE ping timeout}. */
        void timedOut();

        boolean closingOrClosed();

        /** The server has stopped reading this connection (backpressure): its silence is not its fault. */
        boolean readingPaused();
    }

    private final LiveSession session;
    private final GatewaySettings settings;
    private final Link link;

    private EventExecutor loop;
    private String token;
    private long sentNanos;
    private long count;
    /** When something was last read, or the last idle PING went out (the idle period restarts then). */
    private long idleSince;
    /** When the next latency probe is due (0: no probes). */
    private long probeDue;

    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> deadline;

    Heartbeat(LiveSession session, GatewaySettings settings, Link link) {
        this.session = session;
        this.settings = settings;
        this.link = link;
    }

    /**
     * Starts watching for idleness and, if {@code chat.latency.interval} is above zero, probing.
     * Time is {@code loop}'s ticker (the system's nanosecond clock, but for tests).
     */
    void start(EventExecutor loop) {
        this.loop = loop;
        long now = loop.ticker().nanoTime();
        idleSince = now;
        long every = settings.latencyInterval().toNanos();
        probeDue = every > 0 ? now + every : 0;
        schedule(now);
    }

    /** Bytes were read (a read completed): the connection is not idle. */
    void read() {
        idleSince = loop.ticker().nanoTime();
    }

    private void schedule(long now) {
        long idle = settings.idleTimeout().toNanos();
        if (idle <= 0 && probeDue == 0) {
            return; // no idle watch (as with a zero reader-idle time), no probes
        }
        long due = idle > 0 ? idleSince + idle : probeDue;
        if (probeDue != 0 && probeDue - due < 0) {
            due = probeDue;
        }
        timer = loop.schedule((Runnable) this, Math.max(0, due - now), TimeUnit.NANOSECONDS);
    }

    /** The timer: a probe if one is due, a PING if idle; then the next time. (Not a lambda: no object per tick.) */
    @Override
    public void run() {
        timer = null;
        if (link.closingOrClosed()) {
            return;
        }
        long now = loop.ticker().nanoTime();
        long every = settings.latencyInterval().toNanos();
        if (probeDue != 0 && now - probeDue >= 0) {
            probeDue += every * Math.max(1, (now - probeDue) / every + 1);
            probe();
        }
        long idle = settings.idleTimeout().toNanos();
        if (idle > 0 && now - idleSince >= idle) {
            idleSince = now;
            idle();
        }
        schedule(now);
    }

    /** The reader was idle: PING, and expect a line back within {@code chat.limits.ping-timeout}. */
    private void idle() {
        if (deadline != null || link.closingOrClosed() || link.readingPaused()) {
            return;
        }
        send();
        deadline = loop.schedule(this::deadlinePassed, settings.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** No line in time; unless the server itself stopped reading meanwhile (the next idle period asks again). */
    private void deadlinePassed() {
        deadline = null;
        if (!link.readingPaused()) {
            link.timedOut();
        }
    }

    /** Any complete line (or body bytes) shows the client is alive; the PONG is still wanted for the RTT. */
    void alive() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    void pong(String answered) {
        if (token != null && token.equals(answered)) {
            session.probeAnswered(sentNanos, System.nanoTime());
            token = null;
        }
    }

    void stop() {
        alive();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** A latency probe, unless the last one is still within its time to answer. */
    private void probe() {
        boolean waiting = token != null
                && System.nanoTime() - sentNanos < settings.inactiveAfter().toNanos();
        if (!waiting) {
            send();
        }
    }

    /** A new PING replaces an unanswered one (a late PONG to the old token is ignored). */
    private void send() {
        // Round trips in the session's time (System.nanoTime); the timers in the loop's ticker.
        long now = System.nanoTime();
        String next = Long.toString(++count, 36) + Long.toString(now & 0xffffff, 36);
        if (link.writeLine(Lines.ping(next))) {
            token = next;
            sentNanos = now;
            session.probeSent(now);
        }
    }
}
