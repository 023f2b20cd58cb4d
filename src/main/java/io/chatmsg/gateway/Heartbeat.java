package io.chatmsg.gateway;

import java.util.concurrent.TimeUnit;

import io.chatmsg.protocol.Lines;
import io.chatmsg.session.LiveSession;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One connection's {@code PING}s (docs/protocol.md): after idle time
 * ({@code chat.limits.idle-timeout} with nothing read), with a deadline for any
 * line to come back ({@code BYE ping timeout} otherwise), and every
 * {@code chat.latency.interval} as a latency probe whose {@code PONG} is timed
 * into the session. It has no timer of its own: its loop's {@link HeartbeatSweep}
 * looks at it every tick (so an idle connection holds no scheduled task); only an
 * unanswered PING's deadline is a task, while it runs. Confined to the connection's
 * event loop.
 */
final class Heartbeat {

    /** What the heartbeat needs of its connection. */
    interface Link {
        /** Writes a line now, or returns false when none may be written (a GET's bytes are going out). */
        boolean writeLine(String line);

        /** No answer in time: the connection ends with {@code BYE ping timeout}. */
        void timedOut();

        boolean closingOrClosed();

        /** The server has stopped reading this connection (backpressure): its silence is not its fault. */
        boolean readingPaused();

        /** Where round trips are recorded. */
        LiveSession session();
    }

    private final Link link;
    private HeartbeatSweep sweep;

    // The sweep's list of its loop's heartbeats.
    Heartbeat next;
    Heartbeat prev;
    boolean linked;

    private String token;
    private long sentNanos;
    /** When something was last read, or the last idle PING went out (the idle period restarts then). */
    private long idleSince;
    /** When the next latency probe is due (0: no probes). */
    private long probeDue;

    private ScheduledFuture<?> deadline;

    Heartbeat(Link link) {
        this.link = link;
    }

    /**
     * Starts watching for idleness and, if {@code chat.latency.interval} is above zero, probing,
     * in {@code sweep}'s list (not at all when both are off).
     */
    void start(HeartbeatSweep sweep) {
        this.sweep = sweep;
        long now = sweep.now();
        idleSince = now;
        long every = sweep.settings().latencyInterval().toNanos();
        probeDue = every > 0 ? now + every : 0;
        if (sweep.settings().idleTimeout().toNanos() > 0 || probeDue != 0) {
            sweep.add(this);
        }
        // else: no idle watch (as with a zero reader-idle time), no probes
    }

    /** Bytes were read (a read completed): the connection is not idle. */
    void read() {
        idleSince = sweep.now();
    }

    /** The sweep's tick: a probe if one is due, a PING if idle. */
    void tick(long now) {
        if (link.closingOrClosed()) {
            sweep.remove(this);
            return;
        }
        GatewaySettings settings = sweep.settings();
        long every = settings.latencyInterval().toNanos();
        if (probeDue != 0 && now - probeDue >= 0) {
            probeDue += every * Math.max(1, (now - probeDue) / every + 1);
            probe(settings);
        }
        long idle = settings.idleTimeout().toNanos();
        if (idle > 0 && now - idleSince >= idle) {
            idleSince = now;
            idle(settings);
        }
    }

    /** The reader was idle: PING, and expect a line back within {@code chat.limits.ping-timeout}. */
    private void idle(GatewaySettings settings) {
        if (deadline != null || link.closingOrClosed() || link.readingPaused()) {
            return;
        }
        send();
        deadline = sweep.loop()
                .schedule(this::deadlinePassed, settings.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
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
            link.session().probeAnswered(sentNanos, System.nanoTime());
            token = null;
        }
    }

    void stop() {
        alive();
        if (sweep != null) {
            sweep.remove(this);
        }
    }

    /** A latency probe, unless the last one is still within its time to answer. */
    private void probe(GatewaySettings settings) {
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
        String next = Long.toString(sweep.nextPing(), 36) + Long.toString(now & 0xffffff, 36);
        if (link.writeLine(Lines.ping(next))) {
            token = next;
            sentNanos = now;
            link.session().probeSent(now);
        }
    }
}
