package io.chatmsg.admin;

import java.time.Instant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A broadcast waiting for its time, or what happened when it came. */
@Entity
@Table(name = "scheduled_broadcasts")
public class ScheduledBroadcast {

    static final String PENDING = "pending";
    static final String SENT = "sent";
    static final String CANCELLED = "cancelled";
    static final String FAILED = "failed";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "due_at", nullable = false)
    private Instant dueAt;

    @Column(nullable = false)
    private String text;

    @Column(name = "id_prefix")
    private String idPrefix;

    private String address;

    private String transport;

    @Column(name = "min_messages_per_minute")
    private Double minMessagesPerMinute;

    @Column(name = "queue_offline", nullable = false)
    private boolean queueOffline;

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private String status;

    @Column(name = "message_id")
    private Long messageId;

    private Integer recipients;

    private Integer queued;

    private String outcome;

    protected ScheduledBroadcast() {}

    ScheduledBroadcast(
            Instant dueAt, String text, ClientSelector to, boolean queueOffline, String createdBy, Instant createdAt) {
        this.dueAt = dueAt;
        this.text = text;
        this.idPrefix = to.idPrefix();
        this.address = to.address();
        this.transport = to.transport();
        this.minMessagesPerMinute = to.minMessagesPerMinute();
        this.queueOffline = queueOffline;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.status = PENDING;
    }

    ClientSelector selector() {
        return new ClientSelector(idPrefix, address, transport, minMessagesPerMinute);
    }

    void sent(Views.BroadcastResult r) {
        status = SENT;
        messageId = r.messageId();
        recipients = r.recipients();
        queued = r.queued();
    }

    void failed(String why) {
        status = FAILED;
        outcome = why.length() > 500 ? why.substring(0, 500) : why;
    }

    void cancel() {
        status = CANCELLED;
    }

    public Long getId() {
        return id;
    }

    public Instant getDueAt() {
        return dueAt;
    }

    /** For pages: ISO-8601 UTC. */
    public String getDueAtIso() {
        return Views.time(dueAt);
    }

    public String getText() {
        return text;
    }

    public boolean isQueueOffline() {
        return queueOffline;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public String getStatus() {
        return status;
    }

    public Long getMessageId() {
        return messageId;
    }

    public Integer getRecipients() {
        return recipients;
    }

    public Integer getQueued() {
        return queued;
    }

    public String getOutcome() {
        return outcome;
    }
}
