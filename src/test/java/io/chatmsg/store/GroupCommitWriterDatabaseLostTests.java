package io.chatmsg.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A database closed under the running writer (H2 closes itself after an
 * OutOfMemoryError, a disk failure...) must not leave a half-dead server: the
 * writer fails what it holds and reports the database lost, once.
 */
class GroupCommitWriterDatabaseLostTests {

    @Test
    void aClosedDatabaseFailsTheWriteAndIsReportedOnce(@TempDir Path dir) throws Exception {
        HikariDataSource db = pool(dir, "CREATE TABLE t (v INT)");
        AtomicInteger lost = new AtomicInteger();
        GroupCommitWriter writer = writer(db, lost);
        try {
            writer.writeDurably("INSERT INTO t VALUES (?)", 1).get(10, TimeUnit.SECONDS);
            assertThat(lost).hasValue(0);

            try (Connection c = db.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException closedUnderUs) {
                // returning the connection to the pool meets the closed database already
            }
            CompletableFuture<Void> afterClose = writer.writeDurably("INSERT INTO t VALUES (?)", 2);
            CompletableFuture<Void> again = writer.writeDurably("INSERT INTO t VALUES (?)", 3);

            await().atMost(10, TimeUnit.SECONDS).until(() -> afterClose.isDone() && again.isDone());
            assertThat(afterClose).isCompletedExceptionally();
            assertThat(again).isCompletedExceptionally();
            assertThat(lost).hasValue(1);
        } finally {
            writer.stop();
            db.close();
        }
    }

    @Test
    void aConstraintViolationIsNotALostDatabase(@TempDir Path dir) throws Exception {
        HikariDataSource db = pool(dir, "CREATE TABLE t (v INT PRIMARY KEY)");
        AtomicInteger lost = new AtomicInteger();
        GroupCommitWriter writer = writer(db, lost);
        try {
            writer.writeDurably("INSERT INTO t VALUES (?)", 1).get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> duplicate = writer.writeDurably("INSERT INTO t VALUES (?)", 1);
            await().atMost(10, TimeUnit.SECONDS).until(duplicate::isDone);

            assertThat(duplicate).isCompletedExceptionally();
            assertThat(lost).hasValue(0);
        } finally {
            writer.stop();
            db.close();
        }
    }

    /** As in production: a pool, whose connections outlive a SHUTDOWN; with one table made. */
    private static HikariDataSource pool(Path dir, String createTable) throws SQLException {
        HikariDataSource db = new HikariDataSource();
        db.setJdbcUrl("jdbc:h2:file:" + dir.resolve("db"));
        db.setMaximumPoolSize(2);
        db.setMinimumIdle(2);
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute(createTable);
        }
        return db;
    }

    private static GroupCommitWriter writer(HikariDataSource db, AtomicInteger lost) {
        GroupCommitWriter writer = new GroupCommitWriter(db, 100, 10);
        writer.onDatabaseLost(lost::incrementAndGet);
        writer.start();
        return writer;
    }
}
