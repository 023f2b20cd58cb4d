package io.chatmsg.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.chatmsg.support.MigratedStore;
import io.chatmsg.support.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store's pool as the gateway sets it up ({@link PostgresqlPool}): on PostgreSQL
 * a JDBC batch of inserts goes out as multi-row inserts; H2 gets no setting it would
 * reject; its connections do not compile plans (JIT). On PostgreSQL, the message search's trigram index (V15) serves the very
 * predicate Hibernate writes for {@code q}.
 */
class PostgresqlPoolTests {

    @TempDir
    Path dir;

    @Test
    void aBatchOfInsertsIsRewrittenIntoMultiRowInsertsOnPostgresqlOnly() throws Exception {
        try (MigratedStore store = new MigratedStore(dir)) {
            assertThat(store.dataSource.getDataSourceProperties().getProperty(PostgresqlPool.PROPERTY))
                    .isEqualTo(TestStore.postgresql() ? "true" : null);

            int[] counts;
            try (Connection c = store.dataSource.getConnection();
                    PreparedStatement ps =
                            c.prepareStatement("INSERT INTO queued_messages (id, recipient_key) VALUES (?, ?)")) {
                for (int i = 1; i <= 10; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, "alice");
                    ps.addBatch();
                }
                counts = ps.executeBatch();
            }

            // The driver reports "done, count unknown" for each row of a rewritten batch;
            // one INSERT per row would report 1 each.
            assertThat(counts).hasSize(10).containsOnly(TestStore.postgresql() ? Statement.SUCCESS_NO_INFO : 1);
            assertThat(store.jdbc.queryForObject("SELECT COUNT(*) FROM queued_messages", Long.class))
                    .isEqualTo(10);
        }
    }

    @Test
    void postgresqlConnectionsDoNotCompilePlans() throws Exception {
        try (MigratedStore store = new MigratedStore(dir)) {
            if (!TestStore.postgresql()) {
                assertThat(store.dataSource.getDataSourceProperties().getProperty(PostgresqlPool.OPTIONS))
                        .isNull();
                return;
            }
            // The server's own default (on in PostgreSQL 12 and later) is overridden per connection.
            assertThat(store.jdbc.queryForObject("SHOW jit", String.class)).isEqualTo("off");
        }
    }

    @Test
    void messagePagesKeepRoomForTheDeliveredVersionOnPostgresql() throws Exception {
        try (MigratedStore store = new MigratedStore(dir)) {
            if (!TestStore.postgresql()) {
                return; // H2 has no fill factor
            }
            // V18: a queued message updated to delivered stays on its page (a HOT update).
            assertThat(store.jdbc.queryForList(
                            "SELECT unnest(reloptions) FROM pg_class WHERE relname = 'messages'", String.class))
                    .contains("fillfactor=90");
        }
    }

    @Test
    void theSearchPredicateUsesTheTrigramIndexOnPostgresql() throws Exception {
        try (MigratedStore store = new MigratedStore(dir)) {
            // Hibernate's SQL for AdminQueries' q (a Specification with cb.like(cb.lower(text), p, '\\')).
            String count = "select count(m1_0.id) from messages m1_0 where lower(m1_0.text) like ? escape '\\'";
            List<String> plan = new ArrayList<>();
            try (Connection c = store.dataSource.getConnection();
                    Statement s = c.createStatement()) {
                if (TestStore.postgresql()) {
                    s.execute("SET enable_seqscan = off"); // a tiny table: make the planner show what it could use
                }
                try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + count)) {
                    ps.setString(1, "%hello\\_world%");
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            plan.add(rs.getString(1));
                        }
                    }
                }
            }
            if (TestStore.postgresql()) {
                assertThat(String.join("\n", plan)).contains("messages_text_trgm");
            } else {
                assertThat(String.join("\n", plan)).doesNotContainIgnoringCase("trgm");
            }
        }
    }
}
