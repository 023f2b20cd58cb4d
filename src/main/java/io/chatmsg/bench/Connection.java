package io.chatmsg.bench;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client of the load generator: its socket, its buffers, whether it is
 * logged in, and its window (messages outstanding, with the send times of
 * those awaiting an acknowledgement, oldest first). Used by the engine's one
 * thread only. Text is written as ASCII bytes straight into the output buffer.
 */
final class Connection {

    /** A server that stops reading fills this, and the run fails instead of eating the memory. */
    private static final int MAX_OUT = 8 << 20;

    final int index;
    final byte[] id;
    final SocketChannel channel;
    final ByteBuffer in = ByteBuffer.allocate(1 << 16);
    ByteBuffer out = ByteBuffer.allocate(1 << 12);
    SelectionKey key;
    boolean loggedIn;
    /** Messages sent and not yet acknowledged (IRC: not yet delivered everywhere). */
    int inflight;
    /** In the engine's list of connections with bytes to write. */
    boolean dirty;

    private long[] acks = new long[16];
    private int ackHead;
    private int ackSize;

    /** {@code channel} is null in tests of what gets written. */
    Connection(int index, byte[] id, SocketChannel channel) {
        this.index = index;
        this.id = id;
        this.channel = channel;
    }

    /** Remembers a send time until its acknowledgement (acknowledgements come in order). */
    void pushAck(long sentAt) {
        if (ackSize == acks.length) {
            long[] bigger = new long[acks.length * 2];
            for (int i = 0; i < ackSize; i++) {
                bigger[i] = acks[(ackHead + i) % acks.length];
            }
            acks = bigger;
            ackHead = 0;
        }
        acks[(ackHead + ackSize++) % acks.length] = sentAt;
    }

    /** The send time of the oldest unacknowledged message, or {@link Long#MIN_VALUE} when none. */
    long popAck() {
        if (ackSize == 0) {
            return Long.MIN_VALUE;
        }
        long t = acks[ackHead];
        ackHead = (ackHead + 1) % acks.length;
        ackSize--;
        return t;
    }

    Connection put(String s) {
        room(s.length());
        for (int i = 0; i < s.length(); i++) {
            out.put((byte) s.charAt(i));
        }
        return this;
    }

    Connection put(byte[] b) {
        return put(b, 0, b.length);
    }

    Connection put(byte[] b, int off, int len) {
        room(len);
        out.put(b, off, len);
        return this;
    }

    /** A non-negative number in decimal, without building a string. */
    Connection putLong(long v) {
        room(20);
        if (v == 0) {
            out.put((byte) '0');
            return this;
        }
        int start = out.position();
        while (v > 0) {
            out.put((byte) ('0' + (v % 10)));
            v /= 10;
        }
        int end = out.position() - 1;
        byte[] a = out.array();
        for (int i = start, k = end; i < k; i++, k--) {
            byte t = a[i];
            a[i] = a[k];
            a[k] = t;
        }
        return this;
    }

    private void room(int n) {
        if (out.remaining() < n) {
            int want = Math.max(out.capacity() * 2, out.position() + n);
            if (want > MAX_OUT) {
                throw new IllegalStateException("client " + index + ": the server does not read (8 MB unsent)");
            }
            ByteBuffer bigger = ByteBuffer.allocate(want);
            out.flip();
            bigger.put(out);
            out = bigger;
        }
    }
}
