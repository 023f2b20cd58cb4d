package io.chatmsg.ops;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.chatmsg.history.MessageRepository;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@TestPropertySource(properties = {"chat.retention.messages=30d", "chat.retention.sessions=30d"})
class RetentionIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    ScheduledJobs jobs;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MessageRepository messages;

    @Test
    void deletesOldDeliveredMessagesAndClosedSessionsButKeepsWhatWaits() throws Exception {
        Timestamp old = Timestamp.from(Instant.now().minus(40, ChronoUnit.DAYS));
        Timestamp recent = Timestamp.from(Instant.now().minus(1, ChronoUnit.DAYS));
        insertMessage(900_001, old, "delivered");
        insertMessage(900_002, old, "queued");
        insertMessage(900_003, recent, "delivered");
        jdbc.update(
                "INSERT INTO sessions (id, remote_address, transport, connected_at, disconnected_at, end_reason)"
                        + " VALUES (900001, '1.2.3.4:5', 'tcp', ?, ?, 'quit')",
                old,
                old);

        jobs.applyRetention();

        for (int i = 0; i < 100 && messages.existsById(900_001L); i++) {
            Thread.sleep(50);
        }
        assertThat(messages.existsById(900_001L)).as("old and delivered").isFalse();
        assertThat(messages.existsById(900_002L))
                .as("old but still waiting for its recipient")
                .isTrue();
        assertThat(messages.existsById(900_003L)).as("recent").isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sessions WHERE id = 900001", Integer.class))
                .isZero();
    }

    private void insertMessage(long id, Timestamp at, String status) {
        jdbc.update(
                "INSERT INTO messages (id, sent_at, sender, recipient, sender_key, recipient_key, conversation,"
                        + " text, status) VALUES (?, ?, 'a', 'b', 'a', 'b', 'a b', 'x', ?)",
                id,
                at,
                status);
    }
}
