package io.chatmsg.account;

import java.time.Instant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An id that has logged in at least once. Written by {@link UserDirectory}, read by the admin side. */
@Entity
@Table(name = "users")
public class User {

    @Id
    @Column(name = "id_key")
    private String idKey;

    @Column(name = "display_id", nullable = false)
    private String displayId;

    @Column(name = "first_seen", nullable = false)
    private Instant firstSeen;

    @Column(name = "last_seen", nullable = false)
    private Instant lastSeen;

    @Column(name = "password_hash")
    private String passwordHash;

    @Column(name = "registered_at")
    private Instant registeredAt;

    protected User() {}

    /** Registered with a password (the hash itself never leaves this class). */
    public boolean isRegistered() {
        return passwordHash != null;
    }

    public Instant getRegisteredAt() {
        return registeredAt;
    }

    public String getIdKey() {
        return idKey;
    }

    public String getDisplayId() {
        return displayId;
    }

    public Instant getFirstSeen() {
        return firstSeen;
    }

    public Instant getLastSeen() {
        return lastSeen;
    }
}
