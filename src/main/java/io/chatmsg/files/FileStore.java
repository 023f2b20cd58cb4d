package io.chatmsg.files;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import io.chatmsg.config.BoundedPool;
import io.chatmsg.config.ChatProperties;
import io.chatmsg.config.LimitsProperties;
import io.chatmsg.config.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

/**
 * Stored files: the bytes under {@code <data-dir>/files/}, the rows in the
 * {@code files} table, each sender's quota, and who still waits for a FILE
 * event. Disk work runs on {@link #io()} threads ({@code fileIoPool}); every
 * database operation on one thread of its own ({@code fileDbPool}), in
 * submission order, so a "notified" mark always lands before a later LOGIN
 * looks for pending notices; when its queue is full, the operation fails as a
 * database error would. Never called for anything that blocks on an event loop.
 *
 * <p>A file becomes visible in one step: its bytes are written to
 * {@code files/incoming/}, synced, moved into place, and only then its row is
 * inserted. At start-up, anything in {@code incoming/} and any file without a
 * row (a crash between the move and the insert) is deleted.
 */
@Service
public class FileStore {

    private static final Logger log = LoggerFactory.getLogger(FileStore.class);
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int ID_LENGTH = 12;

    private final Path dir;
    private final Path incoming;
    private final StoredFileRepository repository;
    private final Clock clock;
    private final long maxFileSize;
    private final boolean exemptLoopback;
    private final Duration retention;
    private final Executor io;
    private final Executor db;
    private final FileUsage usage;
    private final Set<String> pendingNotices = ConcurrentHashMap.newKeySet();
    /** Cluster mode: other nodes write into {@link #dir} too. */
    private final boolean shared;
    /** Cluster mode: other nodes mark files pending too, so {@link #pendingNotices} cannot tell. */
    private volatile boolean noticesShared;

    private final SecureRandom random = new SecureRandom();

    FileStore(
            ChatProperties chat,
            LimitsProperties limits,
            FileProperties files,
            StoredFileRepository repository,
            Clock clock,
            TaskScheduler scheduler,
            @Qualifier("fileIoPool") BoundedPool io,
            @Qualifier("fileDbPool") BoundedPool db,
            NodeIdentity node)
            throws IOException {
        this.dir = files.dir().isBlank() ? chat.dataDir().resolve("files") : Path.of(files.dir());
        // Each node of a cluster has its own uploads under way, in the directory they share.
        this.incoming = node.clustered() ? dir.resolve("incoming").resolve(node.id()) : dir.resolve("incoming");
        this.shared = node.clustered();
        this.repository = repository;
        this.clock = clock;
        this.maxFileSize = limits.maxFileSize().toBytes();
        this.exemptLoopback = limits.exemptLoopback();
        this.usage = new FileUsage(
                limits.fileQuota().toBytes(), limits.maxFileStorage().toBytes());
        this.retention = files.retention();
        this.io = io;
        this.db = db;
        Files.createDirectories(incoming);
        sweep();
        for (Object[] row : repository.usageBySender()) {
            usage.add((String) row[0], counted((String) row[1]), ((Number) row[2]).longValue());
        }
        pendingNotices.addAll(repository.keysWithPendingNotices());
        if (!retention.isZero() && !retention.isNegative()) {
            scheduler.scheduleWithFixedDelay(this::expire, Instant.now().plusSeconds(60), Duration.ofHours(1));
        }
    }

    /** Threads for disk reads and writes. */
    public Executor io() {
        return io;
    }

    public long maxFileSize() {
        return maxFileSize;
    }

    /** Why {@link #reserve} refused. */
    public enum Refusal {
        /** the sender id's stored files would exceed {@code chat.limits.file-quota} */
        ID_QUOTA,
        /** the files sent from the sender's address (whatever the id) would exceed it */
        ADDRESS_QUOTA,
        /** all stored files together would exceed {@code chat.limits.max-file-storage} */
        STORAGE_FULL
    }

    /**
     * Reserves {@code size} bytes for an upload from {@code senderKey} at {@code address}
     * (an IP literal, or null): against the sender's quota, its address's quota
     * (loopback exempt with {@code exempt-loopback}) and the total storage. Null when
     * reserved, else why not. Never blocks: fine on an event loop.
     */
    public Refusal reserve(String senderKey, String address, long size) {
        return usage.reserve(senderKey, counted(address), size);
    }

    public void release(String senderKey, String address, long size) {
        usage.release(senderKey, counted(address), size);
    }

    /** Bytes of stored files and of uploads under way, all senders together. */
    public long storageUsed() {
        return usage.total();
    }

    /** A new, empty file in {@code incoming/} for an upload. On an I/O thread. */
    public Path newIncoming() throws IOException {
        return Files.createTempFile(incoming, "put-", ".part");
    }

    /**
     * Moves a complete, synced upload into place and records it; the quota was
     * reserved. Direct files start not notified (the router marks them once the
     * recipient has had its FILE event); files to ALL are notified at once.
     */
    public CompletableFuture<StoredFile> commit(
            Path complete, String fromId, String fromAddress, String toId, String name, long size, String sha256) {
        try {
            return CompletableFuture.supplyAsync(
                    () -> place(complete, fromId, fromAddress, toId, name, size, sha256), db);
        } catch (RejectedExecutionException e) {
            deleteQuietly(complete); // never placed: nothing else would remove it
            return CompletableFuture.failedFuture(e);
        }
    }

    /** On the database thread: the upload moved into place and its row inserted, or neither. */
    private StoredFile place(
            Path complete, String fromId, String fromAddress, String toId, String name, long size, String sha256) {
        String id = newId();
        Path target = dir.resolve(id);
        try {
            Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE);
            StoredFile f = new StoredFile(
                    id, fromId, fromAddress, toId, name, size, sha256, clock.instant(), "ALL".equals(toId));
            return repository.save(f);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(complete);
            deleteQuietly(target);
            throw new IllegalStateException("could not store " + name + ": " + e.getMessage(), e);
        }
    }

    /** The recipient has had its FILE event. */
    public void notified(String id) {
        onDb("mark file " + id + " notified", () -> repository.findById(id).ifPresent(f -> {
            f.markNotified();
            repository.save(f);
        }));
    }

    /** {@code key} was offline when a file was sent to it: it gets the FILE event at its next LOGIN. */
    public void markPending(String key) {
        pendingNotices.add(key);
    }

    /** True (once) when {@code key} has FILE events waiting; then {@link #takePending} fetches them. */
    public boolean claimPending(String key) {
        return pendingNotices.remove(key) || noticesShared;
    }

    /** Cluster mode: every LOGIN looks for waiting FILE events in the database. */
    public void shareNotices() {
        noticesShared = true;
    }

    /**
     * The files waiting for {@code key}'s FILE events, oldest first, now marked notified.
     * When that fails (nothing is marked: one transaction), {@code key} is marked pending
     * again, so its next LOGIN tries again instead of the notices waiting for a restart.
     */
    public CompletableFuture<List<StoredFile>> takePending(String key) {
        return onDb(() -> {
                    List<StoredFile> waiting = repository.findByToKeyAndNotifiedFalseOrderByCreatedAt(key);
                    waiting.forEach(StoredFile::markNotified);
                    return repository.saveAll(waiting);
                })
                .whenComplete((taken, failure) -> {
                    if (failure != null) {
                        pendingNotices.add(key);
                    }
                });
    }

    /** The file's row, or null. */
    public CompletableFuture<StoredFile> find(String id) {
        return onDb(() -> repository.findById(id).orElse(null));
    }

    /** Where the file's bytes are. */
    public Path content(StoredFile f) {
        return dir.resolve(f.getId());
    }

    /** A download completed; {@code byKey} is the folded id that fetched it, or null (the operator). */
    public void downloaded(String id, String byKey) {
        Instant now = clock.instant();
        onDb("count a download of file " + id, () -> repository.findById(id).ifPresent(f -> {
            f.downloaded(now, byKey != null && f.toKey().equals(byKey));
            repository.save(f);
        }));
    }

    /** Deletes the file and its row; false when there is no such file. */
    public CompletableFuture<Boolean> delete(String id) {
        return onDb(() -> {
            StoredFile f = repository.findById(id).orElse(null);
            if (f == null) {
                return false;
            }
            remove(f);
            return true;
        });
    }

    public Page<StoredFile> page(String whoKey, Pageable pageable) {
        return repository.search(whoKey, pageable);
    }

    public StoredFile get(String id) {
        return repository.findById(id).orElse(null);
    }

    /** Files sent before the retention period are deleted (hourly). */
    void expire() {
        onDb("delete expired files", () -> {
            List<StoredFile> old =
                    repository.findByCreatedAtBefore(clock.instant().minus(retention));
            old.forEach(this::remove);
            if (!old.isEmpty()) {
                log.info("deleted {} file(s) older than {}", old.size(), retention);
            }
        });
    }

    /** {@code work} on the database thread; a full queue fails the future, as a database error would. */
    private <T> CompletableFuture<T> onDb(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, db);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@code work} on the database thread, nobody waiting for it: a full queue drops it with a warning. */
    private void onDb(String what, Runnable work) {
        try {
            db.execute(work);
        } catch (RejectedExecutionException e) {
            log.warn("could not {}: the file database queue is full or stopped", what);
        }
    }

    private void remove(StoredFile f) {
        repository.delete(f);
        deleteQuietly(content(f));
        release(f.fromKey(), f.getFromAddress(), f.getSize());
    }

    /** Start-up: half-written uploads and files without a row go. */
    private void sweep() throws IOException {
        Set<String> known = new HashSet<>(
                repository.findAll().stream().map(StoredFile::getId).toList());
        int removed = 0;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(incoming)) {
            for (Path p : parts) {
                deleteQuietly(p);
                removed++;
            }
        }
        try (DirectoryStream<Path> stored = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            Instant settled = clock.instant().minus(Duration.ofHours(1));
            for (Path p : stored) {
                // Another node may have just moved a file in and not yet inserted its row.
                if (!known.contains(p.getFileName().toString())
                        && (!shared || Files.getLastModifiedTime(p).toInstant().isBefore(settled))) {
                    deleteQuietly(p);
                    removed++;
                }
            }
        }
        if (removed > 0) {
            log.info("removed {} incomplete upload(s) from {}", removed, dir);
        }
    }

    private String newId() {
        while (true) {
            char[] id = new char[ID_LENGTH];
            for (int i = 0; i < id.length; i++) {
                id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
            }
            String s = new String(id);
            if (!Files.exists(dir.resolve(s))) {
                return s;
            }
        }
    }

    /** The address as counted for quotas: null when unknown, or loopback and exempt. */
    private String counted(String address) {
        if (address == null || (exemptLoopback && isLoopback(address))) {
            return null;
        }
        return address;
    }

    private static boolean isLoopback(String ip) {
        if (!ip.matches("[0-9A-Fa-f.:%]+")) {
            return false; // never a name lookup
        }
        try {
            return InetAddress.getByName(ip).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", p, e.getMessage());
        }
    }
}
