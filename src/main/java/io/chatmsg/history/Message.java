package io.chatmsg.history;

import java.time.Instant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One logged message, as {@link MessageLog} writes it. {@code recipient} is {@code ALL} for broadcasts. */
@Entity
@Table(name = "messages")
public class Message {

    public static final String QUEUED = "queued";
    public static final String DELIVERED = "delivered";

    @Id
    private Long id;

    @Column(name = "sent_at", nullable = false)
    private Instant sentAt;

    @Column(nullable = false)
    private String sender;

    @Column(nullable = false)
    private String recipient;

    @Column(name = "sender_key", nullable = false)
    private String senderKey;

    @Column(name = "recipient_key", nullable = false)
    private String recipientKey;

    @Column(nullable = false)
    private String conversation;

    @Column(nullable = false)
    private String text;

    @Column(nullable = false)
    private String status;

    @Column(name = "delivered_at")
    private Instant deliveredAt;

    protected Message() {}

    public Long getId() {
        return id;
    }

    public Instant getSentAt() {
        return sentAt;
    }

    public String getSender() {
        return sender;
    }

    public String getRecipient() {
        return recipient;
    }

    public String getConversation() {
        return conversation;
    }

    public String getText() {
        return text;
    }

    public String getStatus() {
        return status;
    }

    public Instant getDeliveredAt() {
        return deliveredAt;
    }
}
