package io.chatmsg.support;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import io.chatmsg.store.GroupCommitWriter;
import io.chatmsg.store.PostgresqlPool;
import io.chatmsg.store.Vendor;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The store without Spring, for tests of what sits on it: an H2 file in {@code dir}
 * (or a PostgreSQL database of its own: {@link TestStore}),
 * migrated by Flyway as the application migrates it, and a running group-commit writer.
 */
public final class MigratedStore implements AutoCloseable {

    public final HikariDataSource dataSource = new HikariDataSource();
    public final GroupCommitWriter writer;
    public final JdbcTemplate jdbc;

    public MigratedStore(Path dir) {
        dataSource.setJdbcUrl(TestStore.newUrl(dir));
        dataSource.setUsername(TestStore.user());
        PostgresqlPool.apply(dataSource);
        Vendor.flyway(dataSource).migrate();
        writer = new GroupCommitWriter(dataSource, 1024, 64);
        writer.start();
        jdbc = new JdbcTemplate(dataSource);
    }

    /** Stops the writer (after it committed what it holds) and closes the database; twice is harmless. */
    @Override
    public void close() {
        writer.stop();
        dataSource.close();
    }
}
