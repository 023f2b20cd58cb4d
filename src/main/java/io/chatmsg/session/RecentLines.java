package io.chatmsg.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines in and out of one session: the operator's packet capture for
 * one client. Written only by the session's event loop (single writer), read
 * by anyone. Entries keep what the hot path already has (a String, or the
 * encoded event) and are turned into text only when someone looks.
 */
public final class RecentLines {

    public static final int CAPACITY = 100;

    /** One captured line (or multi-line reply); {@code in} is client to server. */
    public record Entry(long atMillis, boolean in, Object content) {
        public Instant at() {
            return Instant.ofEpochMilli(atMillis);
        }

        public String text() {
            return content.toString().stripTrailing();
        }
    }

    /** Starts small and doubles up to {@link #CAPACITY}: most idle sessions never say much. */
    private static final int FIRST = 4;

    /**
     * Two parallel rings, so capturing a line allocates nothing: what was sent or
     * received, and when ({@code millis * 2}, plus 1 for a line in). Written only by
     * the session's thread; {@link #written} is published after the slots, so a
     * reader sees every slot below it. When the rings grow, the new times are published
     * before the new contents: a reader that finds the two of different lengths has seen
     * a growth half done and looks again. A snapshot taken while lines arrive may show a
     * slot already overwritten by a newer line (the operator's view, not a record).
     */
    private volatile Object[] content = new Object[FIRST];

    private volatile long[] stamp = new long[FIRST];
    /** Lines captured so far; written with release semantics, read with acquire. */
    @SuppressWarnings("unused") // through WRITTEN
    private long written;

    private static final VarHandle WRITTEN;

    static {
        try {
            WRITTEN = MethodHandles.lookup().findVarHandle(RecentLines.class, "written", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    void add(boolean in, Object line) {
        long n = (long) WRITTEN.getOpaque(this); // only this thread writes it
        Object[] c = content;
        long[] t = stamp;
        int size = c.length;
        if (n == size && n < CAPACITY) {
            // Not wrapped yet: the entries keep their indexes in the larger rings.
            int bigger = Math.min(CAPACITY, size * 2);
            t = java.util.Arrays.copyOf(t, bigger);
            c = java.util.Arrays.copyOf(c, bigger);
            stamp = t; // the times first: see the rings' comment
            content = c;
            size = bigger;
        }
        int slot = (int) (n % size);
        c[slot] = line;
        t[slot] = System.currentTimeMillis() * 2 + (in ? 1 : 0);
        // A release store orders the slot's writes before it without a full fence per line.
        WRITTEN.setRelease(this, n + 1);
    }

    /** Oldest first; at most {@link #CAPACITY}. */
    public List<Entry> snapshot() {
        long n = (long) WRITTEN.getAcquire(this);
        Object[] c;
        long[] t;
        do {
            c = content; // the contents first: their times were published before them
            t = stamp;
        } while (c.length != t.length);
        int size = c.length;
        long from = Math.max(0, n - size);
        List<Entry> out = new ArrayList<>((int) (n - from));
        for (long i = from; i < n; i++) {
            int slot = (int) (i % size);
            Object line = c[slot];
            long at = t[slot];
            if (line != null) {
                out.add(new Entry(at >> 1, (at & 1) == 1, line));
            }
        }
        return out;
    }
}
