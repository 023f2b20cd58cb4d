package io.chatmsg.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last lines in and out of one session: the operator's packet capture for
 * one client. Written only by the session's event loop (single writer), read
 * by anyone. Entries keep what the hot path already has (a String, or the
 * encoded event) and are turned into text only when someone looks.
 */
public final class RecentLines {

    public static final int CAPACITY = 100;

    /** One captured line (or multi-line reply); {@code in} is client to server. */
    public record Entry(Instant at, boolean in, Object content) {
        public String text() {
            return content.toString().stripTrailing();
        }
    }

    private final AtomicReferenceArray<Entry> ring = new AtomicReferenceArray<>(CAPACITY);
    private volatile long written;

    void add(boolean in, Object content) {
        long n = written;
        ring.lazySet((int) (n % CAPACITY), new Entry(Instant.now(), in, content));
        written = n + 1;
    }

    /** Oldest first; at most {@link #CAPACITY}. */
    public List<Entry> snapshot() {
        long n = written;
        long from = Math.max(0, n - CAPACITY);
        List<Entry> out = new ArrayList<>((int) (n - from));
        for (long i = from; i < n; i++) {
            Entry e = ring.get((int) (i % CAPACITY));
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }
}
