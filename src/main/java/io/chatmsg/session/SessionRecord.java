package io.chatmsg.session;

import java.time.Instant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One connection, from connect to close, as {@link SessionRecorder} writes it. */
@Entity
@Table(name = "sessions")
public class SessionRecord {

    @Id
    private Long id;

    @Column(name = "remote_address", nullable = false)
    private String remoteAddress;

    @Column(nullable = false)
    private String transport;

    @Column(name = "client_id")
    private String clientId;

    @Column(name = "connected_at", nullable = false)
    private Instant connectedAt;

    @Column(name = "disconnected_at")
    private Instant disconnectedAt;

    @Column(name = "end_reason")
    private String endReason;

    @Column(name = "bytes_in")
    private long bytesIn;

    @Column(name = "bytes_out")
    private long bytesOut;

    @Column(name = "lines_in")
    private long linesIn;

    @Column(name = "lines_out")
    private long linesOut;

    @Column(name = "messages_in")
    private long messagesIn;

    @Column(name = "messages_out")
    private long messagesOut;

    protected SessionRecord() {}

    public Long getId() {
        return id;
    }

    public String getRemoteAddress() {
        return remoteAddress;
    }

    public String getTransport() {
        return transport;
    }

    public String getClientId() {
        return clientId;
    }

    public Instant getConnectedAt() {
        return connectedAt;
    }

    public Instant getDisconnectedAt() {
        return disconnectedAt;
    }

    public String getEndReason() {
        return endReason;
    }

    public long getBytesIn() {
        return bytesIn;
    }

    public long getBytesOut() {
        return bytesOut;
    }

    public long getLinesIn() {
        return linesIn;
    }

    public long getLinesOut() {
        return linesOut;
    }

    public long getMessagesIn() {
        return messagesIn;
    }

    public long getMessagesOut() {
        return messagesOut;
    }
}
