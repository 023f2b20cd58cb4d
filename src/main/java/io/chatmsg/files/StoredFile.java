package io.chatmsg.files;

import java.time.Instant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A file sent with PUT: who to whom, its name, size and SHA-256, and whether it was fetched. */
@Entity
@Table(name = "files")
public class StoredFile {

    @Id
    private String id;

    @Column(name = "from_id", nullable = false)
    private String fromId;

    @Column(name = "from_key", nullable = false)
    private String fromKey;

    @Column(name = "from_address")
    private String fromAddress;

    @Column(name = "to_id", nullable = false)
    private String toId;

    @Column(name = "to_key", nullable = false)
    private String toKey;

    @Column(nullable = false)
    private String name;

    @Column(name = "size_bytes", nullable = false)
    private long size;

    @Column(nullable = false)
    private String sha256;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private boolean notified;

    @Column(nullable = false)
    private int downloads;

    @Column(name = "downloaded_at")
    private Instant downloadedAt;

    protected StoredFile() {}

    StoredFile(
            String id,
            String fromId,
            String fromAddress,
            String toId,
            String name,
            long size,
            String sha256,
            Instant createdAt,
            boolean notified) {
        this.id = id;
        this.fromId = fromId;
        this.fromKey = fromId.toLowerCase(java.util.Locale.ROOT);
        this.fromAddress = fromAddress;
        this.toId = toId;
        this.toKey = toId.toLowerCase(java.util.Locale.ROOT);
        this.name = name;
        this.size = size;
        this.sha256 = sha256;
        this.createdAt = createdAt;
        this.notified = notified;
    }

    public String getId() {
        return id;
    }

    public String getFromId() {
        return fromId;
    }

    public String getToId() {
        return toId;
    }

    public String getName() {
        return name;
    }

    public long getSize() {
        return size;
    }

    public String getSha256() {
        return sha256;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public boolean isNotified() {
        return notified;
    }

    public int getDownloads() {
        return downloads;
    }

    public Instant getDownloadedAt() {
        return downloadedAt;
    }

    public boolean isBroadcast() {
        return "all".equals(toKey);
    }

    String fromKey() {
        return fromKey;
    }

    /** The address it was uploaded from; null for files stored before addresses were kept. */
    public String getFromAddress() {
        return fromAddress;
    }

    String toKey() {
        return toKey;
    }

    /** May {@code key} (a folded client id) fetch it: the recipient, the sender, anyone for ALL. */
    public boolean isFor(String key) {
        return isBroadcast() || toKey.equals(key) || fromKey.equals(key);
    }

    void markNotified() {
        this.notified = true;
    }

    void downloaded(Instant at, boolean byRecipient) {
        downloads++;
        if (byRecipient && downloadedAt == null) {
            downloadedAt = at;
        }
    }
}
