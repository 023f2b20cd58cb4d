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
     * reader sees every slot below it. A snapshot taken while lines arrive may show
     * a slot already overwritten by a newer line (the operator's view, not a record).
     */
    private static final class Ring {
        final Object[] content;
        final long[] stamp;

        Ring(int size) {
            content = new Object[size];
            stamp = new long[size];
        }
    }

    private volatile Ring ring = new Ring(FIRST);
    /** Lines captured so far; written with release semantics, read with acquire (see {@link Ring}). */
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

    void add(boolean in, Object content) {
        long n = (long) WRITTEN.getOpaque(this); // only this thread writes it
        Ring r = ring;
        int size = r.content.length;
        if (n == size && n < CAPACITY) {
            // Not wrapped yet: the entries keep their indexes in the larger ring.
            Ring bigger = new Ring(Math.min(CAPACITY, size * 2));
            System.arraycopy(r.content, 0, bigger.content, 0, size);
            System.arraycopy(r.stamp, 0, bigger.stamp, 0, size);
            ring = bigger;
            r = bigger;
            size = r.content.length;
        }
        int slot = (int) (n % size);
        r.content[slot] = content;
        r.stamp[slot] = System.currentTimeMillis() * 2 + (in ? 1 : 0);
        // A release store orders the slot's writes before it without a full fence per line.
        WRITTEN.setRelease(this, n + 1);
    }

    /** Oldest first; at most {@link #CAPACITY}. */
    public List<Entry> snapshot() {
        long n = (long) WRITTEN.getAcquire(this);
        Ring r = ring;
        int size = r.content.length;
        long from = Math.max(0, n - size);
        List<Entry> out = new ArrayList<>((int) (n - from));
        for (long i = from; i < n; i++) {
            int slot = (int) (i % size);
            Object content = r.content[slot];
            long stamp = r.stamp[slot];
            if (content != null) {
                out.add(new Entry(stamp >> 1, (stamp & 1) == 1, content));
            }
        }
        return out;
    }
}
