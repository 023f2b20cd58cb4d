package io.chatmsg.bench;

import java.util.Arrays;

/**
 * A message's text: {@code <seq>.<send-nanotime>.<sender>.xxxx…}, padded to
 * {@code --payload} bytes, so the receiving side measures latency and finds
 * lost and duplicated messages. One instance is reused for reading: after
 * {@link #read}, the fields hold what was read.
 */
final class Payload {

    private final int size;
    private final byte[] pad;

    long seq;
    long sentAt;
    long sender;

    Payload(int size) {
        this.size = size;
        this.pad = new byte[size];
        Arrays.fill(pad, (byte) 'x');
    }

    void write(Connection c, long seq, long sentAt) {
        int before = c.out.position();
        c.putLong(seq).put(".").putLong(sentAt).put(".").putLong(c.index).put(".");
        int used = c.out.position() - before;
        c.put(pad, 0, Math.max(1, size - used));
    }

    /** Reads bytes {@code p..e}; false when they are not a payload (a server notice, another client's text). */
    boolean read(byte[] b, int p, int e) {
        int d1 = Bytes.indexOf(b, p, e, (byte) '.');
        int d2 = d1 < 0 ? -1 : Bytes.indexOf(b, d1 + 1, e, (byte) '.');
        int d3 = d2 < 0 ? -1 : Bytes.indexOf(b, d2 + 1, e, (byte) '.');
        if (d3 < 0) {
            return false;
        }
        seq = Bytes.parseLong(b, p, d1);
        sentAt = Bytes.parseLong(b, d1 + 1, d2);
        sender = Bytes.parseLong(b, d2 + 1, d3);
        return true;
    }
}
