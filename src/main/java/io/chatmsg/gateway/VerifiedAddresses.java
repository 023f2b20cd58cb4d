package io.chatmsg.gateway;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The UDP addresses (address and port) that proved they receive datagrams
 * ({@code VERIFY}), each until a deadline; an address with a session counts as
 * proved besides, and gets a fresh deadline when its session ends. Bounded:
 * past {@code capacity} the entry that was refreshed longest ago goes first.
 * Not thread-safe: one UDP event loop uses it.
 */
final class VerifiedAddresses {

    private final int capacity;
    private final long keepMillis;
    private final LinkedHashMap<InetSocketAddress, Long> until;

    VerifiedAddresses(int capacity, long keepMillis) {
        this.capacity = capacity;
        this.keepMillis = keepMillis;
        this.until = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Long> eldest) {
                return size() > VerifiedAddresses.this.capacity;
            }
        };
    }

    /** {@code a} proved itself (or its session ended) at {@code nowMillis}. */
    void remember(InetSocketAddress a, long nowMillis) {
        // Re-inserted, so the map stays ordered by deadline.
        until.remove(a);
        until.put(a, nowMillis + keepMillis);
    }

    boolean contains(InetSocketAddress a, long nowMillis) {
        Long deadline = until.get(a);
        return deadline != null && deadline > nowMillis;
    }

    /** Drops what has expired; entries are in deadline order, so this stops at the first live one. */
    void expire(long nowMillis) {
        Iterator<Long> it = until.values().iterator();
        while (it.hasNext() && it.next() <= nowMillis) {
            it.remove();
        }
    }

    int size() {
        return until.size();
    }
}
