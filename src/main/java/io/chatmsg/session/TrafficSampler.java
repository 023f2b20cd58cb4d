package io.chatmsg.session;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Once a second, turns the traffic totals into rates for the overview chart;
 * keeps the last five minutes in memory.
 */
@Component
public class TrafficSampler {

    public static final int KEEP = 300;

    /** Rates over the second before {@code at}, and the connection count at {@code at}. */
    public record Sample(
            Instant at,
            double messagesInPerSec,
            double messagesOutPerSec,
            double bytesInPerSec,
            double bytesOutPerSec,
            int connections) {}

    private final SessionRecorder sessions;
    private final Clock clock;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>(KEEP);
    private TrafficTotals.Snapshot last;
    private long lastNanos;

    TrafficSampler(SessionRecorder sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    @Scheduled(fixedRate = 1000)
    void sample() {
        TrafficTotals.Snapshot now = sessions.totals();
        long nanos = System.nanoTime();
        if (last != null) {
            double secs = Math.max(1e-3, (nanos - lastNanos) / 1e9);
            Sample s = new Sample(
                    clock.instant(),
                    rate(now.messagesIn() - last.messagesIn(), secs),
                    rate(now.messagesOut() - last.messagesOut(), secs),
                    rate(now.bytesIn() - last.bytesIn(), secs),
                    rate(now.bytesOut() - last.bytesOut(), secs),
                    sessions.live().size());
            synchronized (samples) {
                if (samples.size() == KEEP) {
                    samples.removeFirst();
                }
                samples.addLast(s);
            }
        }
        last = now;
        lastNanos = nanos;
    }

    private static double rate(long delta, double secs) {
        // A session closing between two samples can shift a few bytes from live to closed.
        return Math.max(0, delta) / secs;
    }

    /** Oldest first. */
    public List<Sample> samples() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    public TrafficTotals.Snapshot totals() {
        return sessions.totals();
    }
}
