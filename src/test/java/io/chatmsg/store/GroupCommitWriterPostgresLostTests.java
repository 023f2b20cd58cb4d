package io.chatmsg.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.chatmsg.support.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On PostgreSQL a connection can end under the writer without the database ending: a
 * terminated backend costs the batch it carried, and the writer goes on; a dropped database
 * (its connections terminated, no new ones possible) is reported lost, once. The H2 side:
 * {@link GroupCommitWriterDatabaseLostTests}.
 */
class GroupCommitWriterPostgresLostTests {

    private final AtomicInteger lost = new AtomicInteger();
    private String url;
    private HikariDataSource db;
    private GroupCommitWriter writer;

    @BeforeEach
    void store() {
        assumeTrue(
                TestStore.postgresql(),
                "PostgreSQL's connections: the run on PostgreSQL (-Dchat.test.store=postgresql)");
        url = TestStore.newPostgresDatabase();
        db = new HikariDataSource();
        db.setJdbcUrl(url);
        db.setUsername(TestStore.user());
        db.setMaximumPoolSize(2);
        db.setConnectionTimeout(2000); // the gateway's is 30 s
        new JdbcTemplate(db).execute("CREATE TABLE t (v INT)");
        writer = new GroupCommitWriter(db, 100, 10);
        writer.onDatabaseLost(lost::incrementAndGet);
        writer.start();
    }

    @AfterEach
    void close() {
        if (writer != null) {
            writer.stop();
            db.close();
        }
    }

    @Test
    void aBackendTerminatedUnderTheWriterFailsItsBatchOnlyAndTheWriterGoesOn() throws Exception {
        writer.writeDurably("INSERT INTO t VALUES (?)", 1).get(10, TimeUnit.SECONDS);

        // In the writer's own transaction: a row written, then its connection ends (57P01).
        CompletableFuture<Boolean> terminated = writer.run(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO t VALUES (2)");
                return s.execute("SELECT pg_terminate_backend(pg_backend_pid())");
            }
        });
        await().atMost(20, TimeUnit.SECONDS).until(terminated::isDone);
        assertThat(terminated).isCompletedExceptionally();

        writer.writeDurably("INSERT INTO t VALUES (?)", 3).get(20, TimeUnit.SECONDS);
        assertThat(new JdbcTemplate(db).queryForList("SELECT v FROM t ORDER BY v", Integer.class))
                .containsExactly(1, 3);
        assertThat(lost).hasValue(0);
    }

    @Test
    void aDroppedDatabaseFailsTheWritesAndIsReportedLostOnce() throws Exception {
        writer.writeDurably("INSERT INTO t VALUES (?)", 1).get(10, TimeUnit.SECONDS);

        String name = url.substring(url.lastIndexOf('/') + 1);
        try (Connection admin = DriverManager.getConnection(
                        "jdbc:postgresql://" + TestStore.HOST + ":" + TestStore.PORT + "/postgres",
                        TestStore.user(),
                        "");
                Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            s.execute("DROP DATABASE " + name + " WITH (FORCE)");
        }
        CompletableFuture<Void> afterDrop = writer.writeDurably("INSERT INTO t VALUES (?)", 2);
        CompletableFuture<Void> again = writer.writeDurably("INSERT INTO t VALUES (?)", 3);

        await().atMost(30, TimeUnit.SECONDS).until(() -> afterDrop.isDone() && again.isDone());
        assertThat(afterDrop).isCompletedExceptionally();
        assertThat(again).isCompletedExceptionally();
        assertThat(lost).hasValue(1);
    }

    @Test
    void onlyConnectionFailuresCountAsLostConnections() {
        assertThat(GroupCommitWriter.isConnectionLost(new SQLException("terminated", "57P01")))
                .isTrue();
        assertThat(GroupCommitWriter.isConnectionLost(new SQLException("crashed", "57P02")))
                .isTrue();
        assertThat(GroupCommitWriter.isConnectionLost(new SQLException("starting up", "57P03")))
                .isTrue();
        assertThat(GroupCommitWriter.isConnectionLost(new SQLException("I/O error", "08006")))
                .isTrue();
        assertThat(GroupCommitWriter.isConnectionLost(new SQLException("query canceled", "57014")))
                .isFalse();
        assertThat(GroupCommitWriter.isConnectionLost(new SQLException("duplicate key", "23505")))
                .isFalse();
        assertThat(GroupCommitWriter.isClosedForGood(new SQLException("terminated", "57P01")))
                .isFalse();
    }
}
