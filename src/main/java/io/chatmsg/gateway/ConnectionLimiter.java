package io.chatmsg.gateway;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatmsg.config.LimitsProperties;

/**
 * Caps on open connections, in total and per address (loopback exempt by
 * default, so local tools and tests can open thousands). Shared by every
 * listener; admitted connections are released when they close.
 */
final class ConnectionLimiter {

    private final int maxTotal;
    private final int maxPerAddress;
    private final boolean exemptLoopback;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(LimitsProperties limits) {
        this.maxTotal = limits.maxConnections();
        this.maxPerAddress = limits.maxConnectionsPerAddress();
        this.exemptLoopback = limits.exemptLoopback();
    }

    /** Null when admitted (call {@link #release} when it closes), else why not. */
    String admit(InetAddress address) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return "server full";
        }
        if (exemptLoopback && address.isLoopbackAddress()) {
            return null;
        }
        AtomicInteger n = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (n.incrementAndGet() > maxPerAddress) {
            n.decrementAndGet();
            total.decrementAndGet();
            return "too many connections from your address";
        }
        return null;
    }

    void release(InetAddress address) {
        total.decrementAndGet();
        if (exemptLoopback && address.isLoopbackAddress()) {
            return;
        }
        perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
