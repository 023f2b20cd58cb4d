package io.chatmsg.history;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.chatmsg.support.MigratedStore;
import io.chatmsg.support.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared offline queue of cluster mode: which clients have a message waiting longer
 * than a hand-over takes (the redelivery sweep), a delivery taking a message out, and the
 * plans on PostgreSQL of the sweep and of a LOGIN's claim, which must not scan the message log.
 */
class HandOversTests {

    @TempDir
    Path dataDir;

    private MigratedStore store;
    private MessageLog log;
    private HandOvers handOvers;

    @BeforeEach
    void open() {
        store = new MigratedStore(dataDir);
        log = new MessageLog(store.writer, store.jdbc, Clock.systemUTC(), Runnable::run);
        handOvers = new HandOvers(store.writer, store.jdbc, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theSweepFindsOnlyTheAskedClientsWithAMessageOlderThanTheLimit() {
        Instant now = Instant.now();
        log.appendQueued(1, now.minusSeconds(10), "alice", "Bob", "old, for bob")
                .join();
        log.appendQueued(2, now, "alice", "carol", "young, for carol").join();
        log.appendQueued(3, now.minusSeconds(10), "alice", "dave", "old, for dave, not asked")
                .join();
        log.appendDelivered(4, now.minusSeconds(10), "alice", "erin", "delivered at once")
                .join();

        Instant limit = now.minusSeconds(2);
        assertThat(handOvers.waitingAmong(List.of("bob", "carol", "erin"), limit))
                .containsExactly("bob");
        assertThat(handOvers.waitingAmong(List.of("carol", "dave"), limit)).containsExactly("dave");
        assertThat(handOvers.waitingAmong(List.of(), limit)).isEmpty();

        handOvers.markDelivered(1);
        store.writer.run(c -> null).join(); // after the delivery's commit
        assertThat(handOvers.waitingAmong(List.of("bob", "carol"), limit)).isEmpty();
        assertThat(store.jdbc.queryForObject("SELECT status FROM messages WHERE id = 1", String.class))
                .isEqualTo("delivered");
        assertThat(handOvers.waitingAmong(List.of("carol"), now.plus(Duration.ofSeconds(1))))
                .containsExactly("carol");
    }

    @Test
    void theSweepLooksUpMessagesByKeyWhateverTheStatisticsSay() throws Exception {
        if (!TestStore.postgresql()) {
            return; // cluster mode runs on PostgreSQL only; H2 has no planner statistics to go stale
        }
        // A log of 50,000 messages whose statistics are those of the empty tables (no ANALYZE
        // since the migration, as where autovacuum is off or has not come round yet), all
        // handed over through the queue, which is left with the dead rows of that churn and
        // a few live ones: as in a cluster under load.
        store.jdbc.execute("INSERT INTO messages (id, sent_at, sender, recipient, sender_key, recipient_key,"
                + " conversation, text, status) SELECT g, now() - interval '1 hour', 'a', 'b', 'a', 'b', 'a b',"
                + " 'text ' || g, 'delivered' FROM generate_series(10, 50009) g");
        store.jdbc.execute("INSERT INTO queued_messages (id, recipient_key)"
                + " SELECT g, 'user' || (g % 200) FROM generate_series(10, 50009) g");
        store.jdbc.execute("DELETE FROM queued_messages");
        Instant now = Instant.now();
        for (long id = 1; id <= 5; id++) {
            log.appendQueued(id, now.minusSeconds(10), "alice", "user" + id, "queued")
                    .join();
        }
        OffsetDateTime limit = OffsetDateTime.ofInstant(now.minusSeconds(2), ZoneOffset.UTC);
        for (String planMode : List.of("force_custom_plan", "force_generic_plan")) {
            // The sweep, every heartbeat; a LOGIN's claim of its queue, on the writer's thread.
            String sweep = plan(planMode, HandOvers.WAITING, (c, ps) -> {
                ps.setArray(1, c.createArrayOf("VARCHAR", new Object[] {"user1", "user5", "user9"}));
                ps.setObject(2, limit);
            });
            String claim = plan(planMode, MessageLog.QUEUED_POSTGRESQL, (c, ps) -> ps.setString(1, "user1"));
            for (String plan : List.of(sweep, claim)) {
                assertThat(plan)
                        .as("plan (%s)", planMode)
                        .contains("messages_pkey")
                        .doesNotContain("Seq Scan on messages");
            }
        }
        assertThat(handOvers.waitingAmong(List.of("user1", "user5", "user9"), now.minusSeconds(2)))
                .containsExactlyInAnyOrder("user1", "user5");
        assertThat(log.takeQueued("user5").join()).extracting(StoredMessage::id).containsExactly(5L);
    }

    private interface Binder {
        void bind(Connection c, PreparedStatement ps) throws Exception;
    }

    private String plan(String planMode, String sql, Binder binder) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Connection c = store.dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET plan_cache_mode = " + planMode);
            }
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
                binder.bind(c, ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("RESET plan_cache_mode");
                }
            }
        }
        return String.join("\n", lines);
    }
}
