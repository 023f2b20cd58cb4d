package io.chatmsg.session;

import java.util.concurrent.atomic.LongAdder;

/** Sums of the traffic counters of sessions that have closed since the server started. */
public final class TrafficTotals {

    /** Counters summed at one moment. */
    public record Snapshot(long bytesIn, long bytesOut, long messagesIn, long messagesOut) {
        Snapshot plus(LiveSession s) {
            return new Snapshot(
                    bytesIn + s.bytesIn(),
                    bytesOut + s.bytesOut(),
                    messagesIn + s.messagesIn(),
                    messagesOut + s.messagesOut());
        }
    }

    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();

    void add(LiveSession s) {
        bytesIn.add(s.bytesIn());
        bytesOut.add(s.bytesOut());
        messagesIn.add(s.messagesIn());
        messagesOut.add(s.messagesOut());
    }

    Snapshot snapshot() {
        return new Snapshot(bytesIn.sum(), bytesOut.sum(), messagesIn.sum(), messagesOut.sum());
    }
}
