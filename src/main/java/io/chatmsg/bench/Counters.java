package io.chatmsg.bench;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * What a run measured. Only messages <em>sent</em> inside the measured window
 * (after the warm-up, for the duration) count for the rates and latencies;
 * the totals count everything. Used by the engine's one thread only.
 */
final class Counters {

    /** Delivery latency, send to arrival, in microseconds. */
    final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
    /** CHAT-MSG: send to {@code 200 MSG}, in microseconds. */
    final Histogram ackLatency = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);

    long measureStart = Long.MAX_VALUE;
    long measureEnd = Long.MAX_VALUE;

    int loggedIn;
    double loginMillis = -1;
    long sent;
    long sentInWindow;
    long acked;
    long ackedInWindow;
    long expected;
    long delivered;
    long deliveredInWindow;
    long duplicates;
    long misrouted;
    long windowFull;
    /** Direct messages sent to a client on another gateway than the sender's ({@link Gateways#crosses}). */
    long crossNode;

    long errors;
    /** Why the run stopped early, or null. */
    String fatal;

    void window(long start, long end) {
        measureStart = start;
        measureEnd = end;
    }

    boolean inWindow(long sentAt) {
        return sentAt >= measureStart && sentAt < measureEnd;
    }

    /** One message sent at {@code now}; {@code recipients} of it expected, when known at sending (IRC). */
    void sent(long now, long recipients) {
        sent++;
        if (inWindow(now)) {
            sentInWindow++;
        }
        expected += recipients;
    }

    /** The message sent at {@code sentAt} acknowledged at {@code now}, for {@code recipients}. */
    void acked(long sentAt, long now, long recipients) {
        acked++;
        expected += recipients;
        if (inWindow(sentAt)) {
            ackedInWindow++;
            ackLatency.recordValue(micros(sentAt, now));
        }
    }

    /** A message (sent at {@code sentAt}) arrived at one recipient, the first time, at {@code now}. */
    void delivered(long sentAt, long now) {
        delivered++;
        if (inWindow(sentAt)) {
            deliveredInWindow++;
            latency.recordValue(micros(sentAt, now));
        }
    }

    long lost() {
        return Math.max(0, expected - delivered);
    }

    private static long micros(long from, long to) {
        return Math.max(0, (to - from) / 1000);
    }
}
