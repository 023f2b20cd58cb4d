package io.chatmsg.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import com.zaxxer.hikari.HikariDataSource;
import io.chatmsg.store.PostgresqlPool;
import io.chatmsg.store.Vendor;

/**
 * {@code bench --scenario fill --url JDBC-URL --messages N}: migrates an empty
 * database as the gateway would and writes N delivered direct messages of
 * {@link SearchCorpus} text between 1,000 ids over the last 30 days (ids 1..N),
 * in JDBC batches of 1,000 rows per commit; then moves the id sequence past
 * them and, on PostgreSQL, runs VACUUM ANALYZE. The gateway is then started on that
 * database for {@code --scenario search}. Prints the time it took.
 */
final class SearchFill {

    private static final int BATCH = 1000;
    private static final int IDS = 1000;

    private SearchFill() {}

    record Filled(String scenario, String store, long messages, double seconds) {}

    static Filled run(String url, long messages) throws SQLException {
        long start = System.nanoTime();
        Vendor vendor = Vendor.ofUrl(url);
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(url);
            ds.setMaximumPoolSize(2);
            PostgresqlPool.apply(ds);
            Vendor.flyway(ds).migrate();
            SearchCorpus corpus = new SearchCorpus();
            Instant from = Instant.now().minus(Duration.ofDays(30));
            long stepMicros = Duration.ofDays(30).toNanos() / 1000 / Math.max(1, messages);
            try (Connection c = ds.getConnection()) {
                try (var st = c.createStatement();
                        var rs = st.executeQuery("SELECT COUNT(*) FROM messages")) {
                    rs.next();
                    if (rs.getLong(1) != 0) {
                        throw new IllegalStateException("the messages table is not empty: fill wants a new database");
                    }
                }
                if (vendor == Vendor.POSTGRESQL) {
                    // The trigram index (V15) takes new rows into its pending list; a large list is
                    // merged in big sorted runs, as an index build would, instead of every 4 MB.
                    try (var st = c.createStatement()) {
                        st.execute("SET gin_pending_list_limit = '1GB'");
                        st.execute("SET maintenance_work_mem = '256MB'");
                    }
                }
                c.setAutoCommit(false);
                SplittableRandom random = new SplittableRandom(7);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (id, sent_at, sender, recipient,"
                        + " sender_key, recipient_key, conversation, text, status, delivered_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'delivered', ?)")) {
                    for (long id = 1; id <= messages; id++) {
                        String sender = "user" + random.nextInt(IDS);
                        String recipient = "user" + random.nextInt(IDS);
                        OffsetDateTime at =
                                OffsetDateTime.ofInstant(from.plusNanos(id * stepMicros * 1000), ZoneOffset.UTC);
                        ps.setLong(1, id);
                        ps.setObject(2, at);
                        ps.setString(3, sender);
                        ps.setString(4, recipient);
                        ps.setString(5, sender);
                        ps.setString(6, recipient);
                        ps.setString(
                                7,
                                sender.compareTo(recipient) <= 0 ? sender + " " + recipient : recipient + " " + sender);
                        ps.setString(8, corpus.message(random));
                        ps.setObject(9, at);
                        ps.addBatch();
                        if (id % BATCH == 0 || id == messages) {
                            ps.executeBatch();
                            c.commit();
                        }
                    }
                }
                c.setAutoCommit(true);
                try (var st = c.createStatement()) {
                    if (vendor == Vendor.POSTGRESQL) {
                        st.execute("SELECT setval('message_ids', " + (messages + 1) + ", false)");
                        st.execute("VACUUM ANALYZE messages"); // merges the pending list into the index
                    } else {
                        st.execute("ALTER SEQUENCE message_ids RESTART WITH " + (messages + 1));
                    }
                }
            }
        }
        return new Filled(
                "fill", vendor.name().toLowerCase(java.util.Locale.ROOT), messages, (System.nanoTime() - start) / 1e9);
    }
}
