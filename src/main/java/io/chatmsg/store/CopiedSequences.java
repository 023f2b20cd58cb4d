package io.chatmsg.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The last step of {@link H2ToPostgresql}: PostgreSQL's sequences moved past the ids copied. */
final class CopiedSequences {

    /** The sequences that no column owns: where their ids go. */
    private static final Map<String, String> ID_SEQUENCES =
            Map.of("message_ids", "messages", "session_ids", "sessions");

    private final Connection h2;
    private final Connection pg;

    CopiedSequences(Connection h2, Connection pg) {
        this.h2 = h2;
        this.pg = pg;
    }

    /**
     * Every sequence past the ids copied, so the next {@code nextval} gives a new one: the
     * identity columns' at MAX(id) + 1, {@code message_ids} and {@code session_ids} at
     * MAX(id) + 1 or where H2's stood, whichever is further (ids handed out by H2 whose rows
     * retention has since deleted are not handed out again).
     */
    Map<String, Long> moveOn() throws SQLException {
        Map<String, Long> next = new LinkedHashMap<>();
        try (Statement st = pg.createStatement();
                ResultSet rs = st.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
                        + " WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name")) {
            List<String[]> identities = new ArrayList<>();
            while (rs.next()) {
                identities.add(new String[] {rs.getString(1), rs.getString(2)});
            }
            for (String[] id : identities) {
                long value = H2ToPostgresql.single(
                        pg,
                        "SELECT COALESCE(MAX(" + H2ToPostgresql.sqlName(id[1]) + "), 0) + 1 FROM "
                                + H2ToPostgresql.sqlName(id[0]));
                setval(
                        "pg_get_serial_sequence('" + H2ToPostgresql.sqlName(id[0]) + "', '"
                                + H2ToPostgresql.sqlName(id[1]) + "')",
                        value);
                next.put(id[0] + "." + id[1], value);
            }
        }
        for (String sequence : standaloneSequences()) {
            String table = ID_SEQUENCES.get(sequence);
            if (table == null) {
                throw new SQLException("sequence " + sequence + " is unknown to this command: its table is not known");
            }
            long value = Math.max(
                    H2ToPostgresql.single(pg, "SELECT COALESCE(MAX(id), 0) + 1 FROM " + H2ToPostgresql.sqlName(table)),
                    h2Next(sequence));
            setval("'" + sequence + "'", value);
            next.put(sequence, value);
        }
        return next;
    }

    private List<String> standaloneSequences() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = pg.createStatement();
                ResultSet rs = st.executeQuery("SELECT c.relname FROM pg_class c"
                        + " WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
                        + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
                        + " AND d.objid = c.oid AND d.deptype IN ('a', 'i')) ORDER BY c.relname")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** The value H2's sequence hands out next (0 if H2 has no such sequence). */
    private long h2Next(String sequence) throws SQLException {
        try (PreparedStatement ps = h2.prepareStatement("SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES"
                + " WHERE SEQUENCE_SCHEMA = 'PUBLIC' AND SEQUENCE_NAME = ?")) {
            ps.setString(1, sequence.toUpperCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** {@code setval(..., value, false)}: the next {@code nextval} returns {@code value}. */
    private void setval(String sequenceExpression, long value) throws SQLException {
        try (Statement st = pg.createStatement();
                ResultSet rs = st.executeQuery("SELECT setval(" + sequenceExpression + ", " + value + ", false)")) {
            rs.next();
        }
    }
}
