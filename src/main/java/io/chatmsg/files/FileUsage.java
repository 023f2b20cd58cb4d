package io.chatmsg.files;

import java.util.HashMap;
import java.util.Map;

import io.chatmsg.files.FileStore.Refusal;

/**
 * Bytes of stored files, and of uploads under way, per sender id, per sender
 * address and in all. An upload reserves its declared size when its PUT is
 * admitted, so uploads in progress count before their bytes reach the disk.
 * One lock: a reservation touches all three counts at once and takes
 * nanoseconds (no I/O under it).
 */
final class FileUsage {

    private final long quota;
    private final long storage;
    private final Map<String, Long> byId = new HashMap<>();
    private final Map<String, Long> byAddress = new HashMap<>();
    private long total;

    FileUsage(long quota, long storage) {
        this.quota = quota;
        this.storage = storage;
    }

    /**
     * Reserves {@code size} bytes for {@code key}; {@code address} is null when it is
     * not counted (loopback, or unknown). Null when reserved, else why not.
     */
    synchronized Refusal reserve(String key, String address, long size) {
        if (byId.getOrDefault(key, 0L) + size > quota) {
            return Refusal.ID_QUOTA;
        }
        if (address != null && byAddress.getOrDefault(address, 0L) + size > quota) {
            return Refusal.ADDRESS_QUOTA;
        }
        if (total + size > storage) {
            return Refusal.STORAGE_FULL;
        }
        add(key, address, size);
        return null;
    }

    /** Counts a stored file without checking (start-up). */
    synchronized void add(String key, String address, long size) {
        byId.merge(key, size, Long::sum);
        if (address != null) {
            byAddress.merge(address, size, Long::sum);
        }
        total += size;
    }

    synchronized void release(String key, String address, long size) {
        byId.computeIfPresent(key, (k, used) -> used - size <= 0 ? null : used - size);
        if (address != null) {
            byAddress.computeIfPresent(address, (k, used) -> used - size <= 0 ? null : used - size);
        }
        total = Math.max(0, total - size);
    }

    synchronized long total() {
        return total;
    }
}
