package io.chatmsg.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed dashboard and API logins within a sliding window, per user name
 * (trimmed and lower-cased, as the login compares it) and per address, and
 * the lockout they decide. An address at its limit is refused outright. A
 * name at its limit is refused only from addresses that have failed too, so
 * that someone guessing the operator's name does not lock the operator out:
 * the right password from an address that has not failed still gets in,
 * and each such address has one guess before it is refused as well.
 */
final class LoginFailures {

    /** Keys kept per kind; beyond it the oldest are forgotten (an attacker's flood of names). */
    static final int MAX_KEYS = 10_000;

    private final Map<String, Times> names = new ConcurrentHashMap<>();
    private final Map<String, Times> addresses = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int perName;
    private final int perAddress;
    private final long windowMillis;

    LoginFailures(Clock clock, int perName, int perAddress, Duration window) {
        this.clock = clock;
        this.perName = perName;
        this.perAddress = perAddress;
        this.windowMillis = window.toMillis();
    }

    /** The user name as the login compares it: {@code " Admin"} and {@code "admin"} are one. */
    static String normalise(String name) {
        return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    }

    /** Whether an attempt must be refused without checking its password. */
    boolean refuses(String name, String address) {
        long cutoff = cutoff();
        int fromAddress = count(addresses, address, cutoff);
        if (fromAddress >= perAddress) {
            return true;
        }
        return fromAddress > 0 && count(names, normalise(name), cutoff) >= perName;
    }

    void failed(String name, String address) {
        long now = clock.millis();
        record(names, normalise(name), now, perName);
        if (address != null) {
            record(addresses, address, now, perAddress);
        }
    }

    /**
     * The address proved it knows the password: its failures are forgotten.
     * The name's stay until they age out, so a guesser elsewhere stays locked.
     */
    void succeeded(String address) {
        if (address != null) {
            addresses.remove(address);
        }
    }

    int keys() {
        return names.size() + addresses.size();
    }

    private long cutoff() {
        return clock.millis() - windowMillis;
    }

    private static int count(Map<String, Times> map, String key, long cutoff) {
        Times t = key == null ? null : map.get(key);
        return t == null ? 0 : t.since(cutoff);
    }

    private void record(Map<String, Times> map, String key, long now, int limit) {
        if (map.size() >= MAX_KEYS && !map.containsKey(key)) {
            forgetOldest(map);
        }
        map.computeIfAbsent(key, k -> new Times(limit)).add(now);
    }

    /** Drops what has aged out; if that is not enough, the tenth that failed longest ago. */
    private void forgetOldest(Map<String, Times> map) {
        long cutoff = cutoff();
        map.values().removeIf(t -> t.since(cutoff) == 0);
        int excess = map.size() - MAX_KEYS * 9 / 10;
        if (excess > 0) {
            map.entrySet().stream()
                    .sorted(Comparator.comparingLong(e -> e.getValue().newest()))
                    .limit(excess)
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(map::remove);
        }
    }

    /** The last {@code capacity} failure times of one key (more are not needed to decide). */
    private static final class Times {

        private final long[] ring;
        private int start;
        private int size;

        Times(int capacity) {
            ring = new long[capacity];
        }

        synchronized void add(long t) {
            if (size == ring.length) {
                start = (start + 1) % ring.length;
                size--;
            }
            ring[(start + size) % ring.length] = t;
            size++;
        }

        synchronized int since(long cutoff) {
            while (size > 0 && ring[start] < cutoff) {
                start = (start + 1) % ring.length;
                size--;
            }
            return size;
        }

        synchronized long newest() {
            return size == 0 ? Long.MIN_VALUE : ring[(start + size - 1) % ring.length];
        }
    }
}
