package io.chatmsg.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * The database the gateway runs on: the embedded H2 file (the default) or
 * PostgreSQL. The few statements whose SQL differs ask this; so does the schema:
 * Flyway reads {@code db/migration/common} and the vendor's own folder (the
 * application does the same through {@code spring.flyway.locations}).
 */
public enum Vendor {
    H2("h2"),
    POSTGRESQL("postgresql");

    private final String folder;

    Vendor(String folder) {
        this.folder = folder;
    }

    /** The vendor of a JDBC URL ({@code jdbc:h2:...}, {@code jdbc:postgresql:...}). */
    public static Vendor ofUrl(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new IllegalArgumentException("unsupported database " + jdbcUrl
                + ": the gateway runs on H2 (jdbc:h2:...) or PostgreSQL" + " (jdbc:postgresql://HOST:5432/DB)");
    }

    /** The vendor behind a data source (asks one connection for its URL). */
    public static Vendor of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return ofUrl(c.getMetaData().getURL());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
    }

    /** Flyway's locations of this vendor's schema. */
    public String[] migrationLocations() {
        return new String[] {"classpath:db/migration/common", "classpath:db/migration/" + folder};
    }

    /** The schema's migrations for a data source outside Spring (tools, benchmarks, tests). */
    public static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(of(dataSource).migrationLocations())
                .load();
    }
}
