package io.chatmsg.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies every row of the gateway's H2 database into an empty PostgreSQL one,
 * both migrated to their latest schema ({@link Vendor#flyway}; the same tables, though a vendor
 * may have scripts of its own, such as PostgreSQL's search index). Plain JDBC, no
 * Spring: the {@code copy-to-postgresql} command runs it with the gateway stopped.
 *
 * <p>The tables and their columns are read from the target, so a table a later
 * migration adds is copied without a change here; generated columns
 * ({@code messages.bucket}) are left for PostgreSQL to compute. The whole copy is one
 * transaction on the target: if anything fails or the process is interrupted,
 * PostgreSQL rolls it back and the target is left empty (migrated), ready for another
 * run. Before the commit every table's row count (and highest numeric key) is
 * compared with H2's, and every sequence is moved past the ids copied.
 */
public final class H2ToPostgresql {

    /** Tables first in this order (the rest after, by name); a table that references another comes after it. */
    private static final List<String> ORDER = List.of(
            "users",
            "sessions",
            "messages",
            "queued_messages",
            "files",
            "bans",
            "audit_log",
            "scheduled_broadcasts",
            "traffic_minutes",
            "alerts");

    /** A batch is sent when it holds this many characters of text, whatever its row count (1 MB messages). */
    private static final long BATCH_CHARS = 8L << 20;

    private static final String HISTORY = "flyway_schema_history";

    /** What the command shows while it copies. */
    public interface Progress {
        void started(List<Table> tables, long totalRows);

        /** After each batch: rows of {@code table} so far, and of every table. */
        void copied(Table table, long tableRows, long allRows);

        void finished(Table table, Duration took);
    }

    /** A table to copy: its columns (generated ones left out), its primary key and H2's row count. */
    public record Table(String name, List<String> columns, List<String> key, long rows) {}

    /** The outcome: the tables in the order copied, and the next ids the sequences hand out. */
    public record Result(List<Table> tables, Map<String, Long> nextIds) {}

    private final Connection h2;
    private final Connection pg;
    private final int batchSize;
    private final Progress progress;

    public H2ToPostgresql(Connection h2, Connection pg, int batchSize, Progress progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        this.h2 = h2;
        this.pg = pg;
        this.batchSize = batchSize;
        this.progress = progress;
    }

    /** The tables of {@code pg}'s current schema that hold rows (Flyway's history aside); empty when none. */
    public static List<String> tablesWithRows(Connection pg) throws SQLException {
        List<String> full = new ArrayList<>();
        for (String t : pgTables(pg)) {
            try (Statement st = pg.createStatement();
                    ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + sqlName(t) + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    full.add(t);
                }
            }
        }
        return full;
    }

    /** Copies, verifies, moves the sequences on and commits; then ANALYZE. Throws with the reason on any failure. */
    public Result copy() throws SQLException {
        checkSameSchema();
        List<Table> tables = plan();
        long total = tables.stream().mapToLong(Table::rows).sum();
        progress.started(tables, total);
        pg.setAutoCommit(false);
        try {
            long done = 0;
            for (Table t : tables) {
                long start = System.nanoTime();
                done = copyTable(t, done);
                progress.finished(t, Duration.ofNanos(System.nanoTime() - start));
            }
            for (Table t : tables) {
                verify(t);
            }
            Map<String, Long> next = new CopiedSequences(h2, pg).moveOn();
            pg.commit();
            pg.setAutoCommit(true);
            for (Table t : tables) {
                try (Statement st = pg.createStatement()) {
                    st.execute("ANALYZE " + sqlName(t.name()));
                }
            }
            return new Result(tables, next);
        } catch (SQLException | RuntimeException e) {
            try {
                pg.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Both with the same tables: else a copy would lose or misplace rows. */
    private void checkSameSchema() throws SQLException {
        // Both were just migrated to their latest: their versions may differ (a vendor has
        // scripts of its own, such as PostgreSQL's search index), their tables may not.
        Set<String> h2Tables = new TreeSet<>();
        try (ResultSet rs = h2.getMetaData().getTables(null, "PUBLIC", null, new String[] {"TABLE", "BASE TABLE"})) {
            while (rs.next()) {
                h2Tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        h2Tables.remove(HISTORY);
        Set<String> pgTables = new TreeSet<>(pgTables(pg));
        if (!h2Tables.equals(pgTables)) {
            throw new SQLException("the tables differ: H2 has " + h2Tables + ", PostgreSQL " + pgTables);
        }
    }

    private static List<String> pgTables(Connection pg) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement st = pg.createStatement();
                ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                        + " AND table_name <> '" + HISTORY + "' ORDER BY table_name")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    /** The tables in a foreign-key-safe order, with their columns, keys and H2's counts. */
    private List<Table> plan() throws SQLException {
        List<String> names = new ArrayList<>(pgTables(pg));
        names.sort(
                (a, b) -> Integer.compare(rank(a), rank(b)) != 0 ? Integer.compare(rank(a), rank(b)) : a.compareTo(b));
        Map<String, Set<String>> references = new LinkedHashMap<>();
        for (String t : names) {
            Set<String> parents = new HashSet<>();
            try (ResultSet rs = pg.getMetaData().getImportedKeys(null, null, t)) {
                while (rs.next()) {
                    parents.add(rs.getString("PKTABLE_NAME"));
                }
            }
            parents.remove(t);
            references.put(t, parents);
        }
        List<Table> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        while (placed.size() < names.size()) {
            String next = names.stream()
                    .filter(t -> !placed.contains(t) && placed.containsAll(references.get(t)))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("foreign keys in a cycle among " + names));
            placed.add(next);
            ordered.add(new Table(next, columns(next), key(next), count(h2, next)));
        }
        return ordered;
    }

    private static int rank(String table) {
        int i = ORDER.indexOf(table);
        return i < 0 ? ORDER.size() : i;
    }

    /** The target's columns that take a value (not {@code GENERATED ALWAYS AS (...)}), in order. */
    private List<String> columns(String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = pg.prepareStatement("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'"
                + " ORDER BY ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    private List<String> key(String table) throws SQLException {
        Map<Integer, String> byPosition = new java.util.TreeMap<>();
        try (ResultSet rs = pg.getMetaData().getPrimaryKeys(null, null, table)) {
            while (rs.next()) {
                byPosition.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(byPosition.values());
    }

    private long copyTable(Table t, long doneBefore) throws SQLException {
        String cols = String.join(
                ", ", t.columns().stream().map(H2ToPostgresql::sqlName).toList());
        String select = "SELECT " + cols + " FROM " + sqlName(t.name())
                + (t.key().isEmpty()
                        ? ""
                        : " ORDER BY "
                                + String.join(
                                        ", ",
                                        t.key().stream()
                                                .map(H2ToPostgresql::sqlName)
                                                .toList()));
        String insert = "INSERT INTO " + sqlName(t.name()) + " (" + cols + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(t.columns().size(), "?")) + ")";
        int n = t.columns().size();
        long copied = 0;
        try (Statement read = h2.createStatement();
                PreparedStatement write = pg.prepareStatement(insert)) {
            read.setFetchSize(batchSize);
            try (ResultSet rs = read.executeQuery(select)) {
                ResultSetMetaData meta = rs.getMetaData();
                int rowsInBatch = 0;
                long charsInBatch = 0;
                String firstKey = null;
                while (rs.next()) {
                    if (rowsInBatch == 0) {
                        firstKey = t.key().isEmpty()
                                ? null
                                : String.valueOf(rs.getObject(t.key().get(0)));
                    }
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        if (v == null) {
                            write.setNull(i, meta.getColumnType(i));
                        } else {
                            write.setObject(i, v);
                            if (v instanceof String s) {
                                charsInBatch += s.length();
                            }
                        }
                    }
                    write.addBatch();
                    rowsInBatch++;
                    if (rowsInBatch >= batchSize || charsInBatch >= BATCH_CHARS) {
                        send(write, t, firstKey);
                        copied += rowsInBatch;
                        progress.copied(t, copied, doneBefore + copied);
                        rowsInBatch = 0;
                        charsInBatch = 0;
                    }
                }
                if (rowsInBatch > 0) {
                    send(write, t, firstKey);
                    copied += rowsInBatch;
                    progress.copied(t, copied, doneBefore + copied);
                }
            }
        }
        if (copied != t.rows()) {
            throw new SQLException(t.name() + ": read " + copied + " rows from H2, which counted " + t.rows());
        }
        return doneBefore + copied;
    }

    private static void send(PreparedStatement write, Table t, String firstKey) throws SQLException {
        try {
            write.executeBatch();
        } catch (SQLException e) {
            SQLException cause = e.getNextException() != null ? e.getNextException() : e;
            throw new SQLException(
                    t.name() + ": the batch from " + String.join(",", t.key()) + " " + firstKey + " failed: "
                            + cause.getMessage(),
                    cause.getSQLState(),
                    e);
        }
    }

    /** Same row count on both sides, and the same highest key where the key is one number. */
    private void verify(Table t) throws SQLException {
        long rows = count(pg, t.name());
        if (rows != t.rows()) {
            throw new SQLException("verification failed: " + t.name() + " has " + rows + " rows in PostgreSQL, "
                    + t.rows() + " in H2");
        }
        if (t.key().size() == 1 && numeric(t.name(), t.key().get(0))) {
            String sql = "SELECT MAX(" + sqlName(t.key().get(0)) + ") FROM " + sqlName(t.name());
            long a = single(h2, sql);
            long b = single(pg, sql);
            if (a != b) {
                throw new SQLException("verification failed: " + t.name() + "'s highest "
                        + t.key().get(0) + " is " + b + " in PostgreSQL, " + a + " in H2");
            }
        }
    }

    private boolean numeric(String table, String column) throws SQLException {
        try (PreparedStatement ps = pg.prepareStatement("SELECT data_type FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && Set.of("bigint", "integer", "smallint").contains(rs.getString(1));
            }
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        return single(c, "SELECT COUNT(*) FROM " + sqlName(table));
    }

    static long single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A name from the schema, checked: lower case and unquoted, which H2 folds to upper
     * case and PostgreSQL keeps, so both find the table.
     */
    static String sqlName(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("unexpected name in the schema: " + name);
        }
        return name;
    }
}
