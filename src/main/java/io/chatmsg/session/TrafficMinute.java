package io.chatmsg.session;

import java.io.Serializable;
import java.time.Instant;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One client's traffic in one minute, as {@link TrafficRecorder} accumulates it. */
@Entity
@Table(name = "traffic_minutes")
public class TrafficMinute {

    @Embeddable
    public record Key(@Column(name = "client_key") String clientKey, @Column(name = "minute_start") Instant minute)
            implements Serializable {}

    @EmbeddedId
    private Key key;

    @Column(name = "client_id", nullable = false)
    private String clientId;

    @Column(name = "bytes_in")
    private long bytesIn;

    @Column(name = "bytes_out")
    private long bytesOut;

    @Column(name = "messages_in")
    private long messagesIn;

    @Column(name = "messages_out")
    private long messagesOut;

    protected TrafficMinute() {}

    public Instant getMinute() {
        return key.minute();
    }

    public String getClientId() {
        return clientId;
    }

    public long getBytesIn() {
        return bytesIn;
    }

    public long getBytesOut() {
        return bytesOut;
    }

    public long getMessagesIn() {
        return messagesIn;
    }

    public long getMessagesOut() {
        return messagesOut;
    }
}
