package io.chatmsg.bench;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Which message sequence numbers each client has received: a second arrival
 * is a duplicate. A direct message has one recipient, so one set serves
 * everyone; in fan-out each client has its own, and (for IRC, which does not
 * acknowledge) a count per message says when it has reached every recipient.
 */
final class Deliveries {

    private final BitSet seen;
    private final BitSet[] seenBy;
    private int[] reached = new int[1024];

    Deliveries(int clients, boolean fanout) {
        if (fanout) {
            seen = null;
            seenBy = new BitSet[clients];
            for (int i = 0; i < clients; i++) {
                seenBy[i] = new BitSet();
            }
        } else {
            seen = new BitSet();
            seenBy = null;
        }
    }

    /** Records that {@code receiver} got {@code seq}; false when it had it already. */
    boolean first(int receiver, int seq) {
        BitSet set = seenBy == null ? seen : seenBy[receiver];
        if (set.get(seq)) {
            return false;
        }
        set.set(seq);
        return true;
    }

    /** Counts one more recipient of {@code seq}; true when that makes {@code recipients}. */
    boolean reachedAll(int seq, int recipients) {
        if (seq >= reached.length) {
            reached = Arrays.copyOf(reached, Math.max(seq + 1, reached.length * 2));
        }
        return ++reached[seq] == recipients;
    }
}
