package io.chatmsg.alerts;

import java.time.Instant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A state change the operator is told about, and how its mail fared. */
@Entity
@Table(name = "alerts")
public class Alert {

    static final String SENT = "sent";
    static final String RETRYING = "retrying";
    static final String FAILED = "failed";
    static final String OFF = "off";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "raised_at", nullable = false)
    private Instant raisedAt;

    /** "gateway" or "client <id>". */
    @Column(nullable = false)
    private String subject;

    @Column(name = "from_state", nullable = false)
    private String fromState;

    @Column(name = "to_state", nullable = false)
    private String toState;

    @Column(nullable = false)
    private String detail;

    @Column(name = "mail_status", nullable = false)
    private String mailStatus;

    @Column(name = "mail_attempts", nullable = false)
    private int mailAttempts;

    @Column(name = "mail_error")
    private String mailError;

    @Column(name = "mailed_at")
    private Instant mailedAt;

    protected Alert() {}

    Alert(Instant raisedAt, String subject, String fromState, String toState, String detail, boolean mailed) {
        this.raisedAt = raisedAt;
        this.subject = subject;
        this.fromState = fromState;
        this.toState = toState;
        this.detail = detail.length() > 500 ? detail.substring(0, 500) : detail;
        this.mailStatus = mailed ? RETRYING : OFF;
    }

    public Long getId() {
        return id;
    }

    public Instant getRaisedAt() {
        return raisedAt;
    }

    public String getSubject() {
        return subject;
    }

    public String getFromState() {
        return fromState;
    }

    public String getToState() {
        return toState;
    }

    public String getDetail() {
        return detail;
    }

    public String getMailStatus() {
        return mailStatus;
    }

    public int getMailAttempts() {
        return mailAttempts;
    }

    public String getMailError() {
        return mailError;
    }

    public Instant getMailedAt() {
        return mailedAt;
    }

    /** The mail's subject line. */
    String title(String serverName) {
        return "[" + serverName + "] " + subject + ": " + fromState + " \u2192 " + toState;
    }

    void attemptFailed(String error, boolean giveUp) {
        mailAttempts++;
        mailError = error == null ? "unknown error" : error.length() > 500 ? error.substring(0, 500) : error;
        mailStatus = giveUp ? FAILED : RETRYING;
    }

    void mailed(Instant at) {
        mailAttempts++;
        mailStatus = SENT;
        mailedAt = at;
    }
}
