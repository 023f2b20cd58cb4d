package io.chatmsg.gateway;

import java.util.concurrent.TimeUnit;

import io.chatmsg.protocol.Lines;
import io.chatmsg.session.LiveSession;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One connection's {@code PING}s (docs/protocol.md): after idle time, with
 * a deadline for any line to come back ({@code BYE ping timeout} otherwise),
 * and every {@code chat.latency.interval} as a latency probe whose {@code PONG}
 * is timed into the session. Confined to the connection's event loop.
 */
final class Heartbeat {

    /** What the heartbeat needs of its connection. */
    interface Link {
        /** Writes a line now, or returns false when none may be written (a GET's bytes are going out). */
        boolean writeLine(String line);

        /** No answer in time: the connection ends with {@code BYE ping timeout}. */
        void timedOut();

        boolean closing();

        /** The server has stopped reading this connection (backpressure): its silence is not its fault. */
        boolean readingPaused();
    }

    private final LiveSession session;
    private final GatewaySettings settings;
    private final EventExecutor loop;
    private final Link link;

    private String token;
    private long sentNanos;
    private long count;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> probes;

    Heartbeat(LiveSession session, GatewaySettings settings, EventExecutor loop, Link link) {
        this.session = session;
        this.settings = settings;
        this.loop = loop;
        this.link = link;
    }

    /** Starts the latency probes, if {@code chat.latency.interval} is above zero. */
    void start() {
        long every = settings.latencyInterval().toMillis();
        if (every > 0) {
            probes = loop.scheduleAtFixedRate(this::probe, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** The reader was idle: PING, and expect a line back within {@code chat.limits.ping-timeout}. */
    void idle() {
        if (deadline != null || link.closing() || link.readingPaused()) {
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
        if (probes != null) {
            probes.cancel(false);
        }
    }

    /** A latency probe, unless the last one is still within its time to answer. */
    private void probe() {
        boolean waiting = token != null
                && System.nanoTime() - sentNanos < settings.inactiveAfter().toNanos();
        if (!link.closing() && !waiting) {
            send();
        }
    }

    /** A new PING replaces an unanswered one (a late PONG to the old token is ignored). */
    private void send() {
        String next = Long.toString(++count, 36) + Long.toString(System.nanoTime() & 0xffffff, 36);
        long now = System.nanoTime();
        if (link.writeLine(Lines.ping(next))) {
            token = next;
            sentNanos = now;
            session.probeSent(now);
        }
    }
}
