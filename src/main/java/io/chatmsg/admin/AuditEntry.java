package io.chatmsg.admin;

import java.time.Instant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One operator action, as {@link AuditLog} records it. */
@Entity
@Table(name = "audit_log")
public class AuditEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private Instant at;

    @Column(nullable = false)
    private String operator;

    @Column(nullable = false)
    private String action;

    private String details;

    private String remote;

    protected AuditEntry() {}

    AuditEntry(Instant at, String operator, String action, String details, String remote) {
        this.at = at;
        this.operator = operator;
        this.action = action;
        this.details = details;
        this.remote = remote;
    }

    public Long getId() {
        return id;
    }

    public Instant getAt() {
        return at;
    }

    public String getOperator() {
        return operator;
    }

    public String getAction() {
        return action;
    }

    public String getDetails() {
        return details;
    }

    public String getRemote() {
        return remote;
    }
}
