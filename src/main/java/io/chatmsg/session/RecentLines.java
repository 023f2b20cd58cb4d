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

    /** Starts small and doubles up to {@link #CAPACITY}: most idle sessions never say much. */
    private static final int FIRST = 8;

    private volatile AtomicReferenceArray<Entry> ring = new AtomicReferenceArray<>(FIRST);
    private volatile long written;

    void add(boolean in, Object content) {
        long n = written;
        AtomicReferenceArray<Entry> r = ring;
        if (n == r.length() && n < CAPACITY) {
            // Not wrapped yet: the entries keep their indexes in the larger ring.
            AtomicReferenceArray<Entry> bigger = new AtomicReferenceArray<>(Math.min(CAPACITY, r.length() * 2));
            for (int i = 0; i < r.length(); i++) {
                bigger.lazySet(i, r.get(i));
            }
            ring = bigger;
            r = bigger;
        }
        r.lazySet((int) (n % r.length()), new Entry(Instant.now(), in, content));
        written = n + 1;
    }

    /** Oldest first; at most {@link #CAPACITY}. */
    public List<Entry> snapshot() {
        long n = written;
        AtomicReferenceArray<Entry> r = ring;
        long from = Math.max(0, n - r.length());
        List<Entry> out = new ArrayList<>((int) (n - from));
        for (long i = from; i < n; i++) {
            Entry e = r.get((int) (i % r.length()));
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }
}
