package io.chatmsg.session;

import java.util.ArrayList;
import java.util.List;

/** The last {@value #SIZE} round trips of one session: written by its event loop, read by the dashboard. */
public final class RttHistory {

    static final int SIZE = 120;

    public record Sample(long atEpochMillis, double millis) {}

    /** Allocated with the first sample: a client that is never probed costs nothing here. */
    private Sample[] ring;

    private int next;
    private int count;

    synchronized void add(long at, double millis) {
        if (ring == null) {
            ring = new Sample[SIZE];
        }
        ring[next] = new Sample(at, millis);
        next = (next + 1) % SIZE;
        count = Math.min(SIZE, count + 1);
    }

    public synchronized List<Sample> samples() {
        List<Sample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(ring[(next - count + i + SIZE) % SIZE]);
        }
        return out;
    }
}
