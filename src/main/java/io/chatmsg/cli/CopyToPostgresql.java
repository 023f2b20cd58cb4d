package io.chatmsg.cli;

import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;

import ch.qos.logback.classic.Level;
import com.zaxxer.hikari.HikariDataSource;
import io.chatmsg.store.H2ToPostgresql;
import io.chatmsg.store.Vendor;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code copy-to-postgresql --data-dir DIR --url jdbc:postgresql://HOST:5432/DB}: moves a
 * deployment's H2 database into an empty PostgreSQL database (docs/operations.md, "Moving
 * from H2 to PostgreSQL"). Refuses (status 2, one line, nothing changed) while the gateway
 * holds the H2 file, or when the target holds rows; otherwise brings both schemas to the
 * latest version, copies in one transaction ({@link H2ToPostgresql}) and prints a summary.
 * A failure once the copy has begun is one line and status 1, and leaves the target empty.
 */
@Command(
        name = "copy-to-postgresql",
        mixinStandardHelpOptions = true,
        versionProvider = TerminalClient.Version.class,
        description = {
            "Copies a stopped gateway's H2 database (DIR/chatmsg.mv.db) into an empty PostgreSQL database:"
                    + " users and their password hashes, sessions, messages, the offline queue, files' rows, bans,"
                    + " audit log, scheduled broadcasts, traffic history and alerts. Both schemas are migrated to"
                    + " the latest version first; the copy is one transaction (interrupted: nothing is kept);"
                    + " row counts are verified and the id sequences moved past the highest ids.",
            "The file bodies stay in DIR/files: run the gateway on PostgreSQL with --chat.data-dir=DIR.",
            "The password comes from the environment (--password-env, default PGPASSWORD) or a prompt"
                    + " (--password-prompt), never from the command line.",
            "Exit status: 0 copied and verified; 2 refused (bad arguments, gateway running, target not empty,"
                    + " cannot connect), nothing changed; 1 failed during the copy (the target is left empty)."
        },
        exitCodeOnInvalidInput = Launcher.USAGE_ERROR)
final class CopyToPostgresql implements Callable<Integer> {

    static final int FAILED = 1;

    @Option(
            names = "--data-dir",
            required = true,
            paramLabel = "DIR",
            description = "the gateway's data dir (chat.data-dir), holding chatmsg.mv.db")
    Path dataDir;

    @Option(
            names = "--url",
            required = true,
            paramLabel = "URL",
            description = "the empty target database: jdbc:postgresql://HOST:5432/DB")
    String url;

    @Option(
            names = "--user",
            paramLabel = "USER",
            description = "PostgreSQL user (default: the URL's user, else $PGUSER, else the system user)")
    String user;

    @Option(
            names = "--password-env",
            paramLabel = "VAR",
            defaultValue = "PGPASSWORD",
            description = "environment variable holding the password, if set (default: ${DEFAULT-VALUE})")
    String passwordEnv;

    @Option(names = "--password-prompt", description = "ask for the password on the terminal (not echoed)")
    boolean passwordPrompt;

    @Option(
            names = "--batch-size",
            paramLabel = "ROWS",
            defaultValue = "1000",
            description = "rows per INSERT batch (default: ${DEFAULT-VALUE}; smaller when messages are large)")
    int batchSize;

    PrintStream out = System.out;
    PrintStream err = System.err;
    Function<String, String> env = System::getenv;
    boolean terminal = System.console() != null;

    /** A one-line reason and the exit status. */
    static final class Refusal extends Exception {
        final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    @Override
    public Integer call() {
        quietLogging();
        try {
            run();
            return 0;
        } catch (Refusal r) {
            err.println("copy-to-postgresql: " + r.getMessage());
            return r.status;
        }
    }

    private void run() throws Refusal {
        Path dir = dataDir.toAbsolutePath().normalize();
        String password = password();
        if (!url.startsWith("jdbc:postgresql://")) {
            throw refused("--url must be a PostgreSQL JDBC URL, jdbc:postgresql://HOST:5432/DB, not " + url);
        }
        if (url.toLowerCase(Locale.ROOT).matches(".*[?&]password=.*")) {
            throw refused("put the password in PGPASSWORD (or --password-prompt), not in the URL: it shows in ps");
        }
        if (batchSize < 1) {
            throw refused("--batch-size must be at least 1");
        }
        if (!Files.isRegularFile(dir.resolve("chatmsg.mv.db"))) {
            throw refused("no gateway database in " + dir + " (no chatmsg.mv.db): is --data-dir the gateway's?");
        }
        String h2Url = "jdbc:h2:file:" + dir.resolve("chatmsg") + ";IFEXISTS=TRUE;LAZY_QUERY_EXECUTION=TRUE";
        try (Connection h2 = openH2(h2Url, dir);
                Connection pg = openPostgresql(password)) {
            List<String> full = H2ToPostgresql.tablesWithRows(pg);
            if (!full.isEmpty()) {
                throw refused("the target database is not empty (rows in " + String.join(", ", full)
                        + "): copy only into a new, empty database");
            }
            out.println("H2 " + dir.resolve("chatmsg.mv.db") + ": " + migrate("H2", h2Url, "sa", ""));
            out.println("PostgreSQL " + url + ": "
                    + migrate("PostgreSQL", url, pg.getMetaData().getUserName(), password));
            long start = System.nanoTime();
            Display display = new Display();
            Runnable interrupted = () -> {
                if (!display.done) {
                    err.println(System.lineSeparator() + "copy-to-postgresql: interrupted: nothing was committed,"
                            + " the target database is still empty; run the command again");
                }
            };
            Thread hook = new Thread(interrupted, "copy-interrupted");
            Runtime.getRuntime().addShutdownHook(hook);
            H2ToPostgresql.Result result;
            try {
                result = new H2ToPostgresql(h2, pg, batchSize, display).copy();
            } catch (SQLException | RuntimeException e) {
                display.done = true;
                display.clear();
                throw new Refusal(
                        FAILED, "copy failed, nothing was committed (the target is still empty): " + e.getMessage());
            } finally {
                display.done = true;
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            summary(result, Duration.ofNanos(System.nanoTime() - start), dir);
        } catch (SQLException e) {
            throw new Refusal(FAILED, "failed: " + e.getMessage());
        }
    }

    private String password() throws Refusal {
        if (passwordPrompt) {
            Console console = System.console();
            if (console == null) {
                throw refused("--password-prompt needs a terminal; set PGPASSWORD (or --password-env VAR) instead");
            }
            char[] typed = console.readPassword("Password for PostgreSQL: ");
            return typed == null ? "" : new String(typed);
        }
        String fromEnv = env.apply(passwordEnv);
        return fromEnv == null ? "" : fromEnv;
    }

    /** The H2 file, opened by this process alone: H2's file lock refuses while the gateway runs. */
    private static Connection openH2(String h2Url, Path dir) throws Refusal {
        try {
            return DriverManager.getConnection(h2Url, "sa", "");
        } catch (SQLException e) {
            if (e.getErrorCode() == 90020) { // DATABASE_ALREADY_OPEN_1
                throw refused("the H2 database in " + dir + " is in use: stop the gateway first");
            }
            throw refused("cannot open the H2 database in " + dir + ": " + firstLine(e.getMessage()));
        }
    }

    private Connection openPostgresql(String password) throws Refusal {
        try {
            return DriverManager.getConnection(url, postgresqlProperties(password));
        } catch (SQLException e) {
            throw refused("cannot connect to PostgreSQL at " + url + ": " + firstLine(e.getMessage()));
        }
    }

    /** The account, and batches sent as multi-row INSERTs (many times faster than a row per statement). */
    private Properties postgresqlProperties(String password) {
        Properties p = new Properties();
        String name = user != null ? user : env.apply("PGUSER");
        if (name == null && !url.contains("user=")) {
            name = System.getProperty("user.name");
        }
        if (name != null) {
            p.setProperty("user", name);
        }
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("reWriteBatchedInserts", "true");
        p.setProperty("ApplicationName", "chat-gateway copy-to-postgresql");
        return p;
    }

    /** Flyway on a pool of its own (it may want a second connection), closed before the copy. */
    private String migrate(String what, String jdbcUrl, String name, String password) throws Refusal {
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(jdbcUrl);
            ds.setUsername(name);
            ds.setPassword(password);
            ds.setMaximumPoolSize(2);
            ds.setPoolName("copy-" + what);
            Flyway flyway = Vendor.flyway(ds);
            MigrateResult r = flyway.migrate();
            return "schema at version " + flyway.info().current().getVersion() + " ("
                    + (r.migrationsExecuted == 0 ? "was already" : r.migrationsExecuted + " migrations run") + ")";
        } catch (RuntimeException e) {
            throw new Refusal(FAILED, "migrating the " + what + " schema failed: " + firstLine(e.getMessage()));
        }
    }

    private void summary(H2ToPostgresql.Result result, Duration took, Path dir) {
        long rows =
                result.tables().stream().mapToLong(H2ToPostgresql.Table::rows).sum();
        double seconds = Math.max(took.toNanos() / 1e9, 1e-3);
        out.printf(
                Locale.ROOT,
                "Copied %,d rows of %d tables in %.1f s (%,.0f rows/s); counts verified:%n",
                rows,
                result.tables().size(),
                seconds,
                rows / seconds);
        for (H2ToPostgresql.Table t : result.tables()) {
            out.printf(Locale.ROOT, "  %-22s %,12d%n", t.name(), t.rows());
        }
        StringBuilder next = new StringBuilder("Next ids:");
        for (Map.Entry<String, Long> e : result.nextIds().entrySet()) {
            next.append(' ').append(e.getKey()).append(' ').append(e.getValue()).append(',');
        }
        next.setLength(next.length() - 1);
        out.println(next);
        out.println("Tables analyzed. The file bodies stay in " + dir.resolve("files") + ": run the gateway with");
        out.println("  --chat.data-dir=" + dir + " --spring.datasource.url=" + url);
        out.flush();
    }

    private static Refusal refused(String message) {
        return new Refusal(Launcher.USAGE_ERROR, message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    /**
     * Hikari and Flyway would log on the console (Flyway warns that H2 2.4 is newer than
     * it was verified with); the command prints its own lines, and failures reach them.
     */
    private static void quietLogging() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.ERROR);
        }
    }

    /**
     * On a terminal, one line redrawn in place: a bar, rows of all tables, the table and the rate;
     * otherwise a plain line per table.
     */
    private final class Display implements H2ToPostgresql.Progress {
        private static final int WIDTH = 24;
        private long total;
        private int tables;
        private int index;
        private long started;
        private long lastDraw;
        private int drawn;
        volatile boolean done;

        @Override
        public void started(List<H2ToPostgresql.Table> all, long totalRows) {
            total = totalRows;
            tables = all.size();
            started = System.nanoTime();
            out.printf(Locale.ROOT, "Copying %,d rows of %d tables in one transaction%n", totalRows, tables);
        }

        @Override
        public void copied(H2ToPostgresql.Table table, long tableRows, long allRows) {
            long now = System.nanoTime();
            if (!terminal || now - lastDraw < 100_000_000L && allRows < total) {
                return;
            }
            lastDraw = now;
            double fraction = total == 0 ? 1 : (double) allRows / total;
            int filled = (int) Math.round(fraction * WIDTH);
            String line = String.format(
                    Locale.ROOT,
                    "[%s%s] %3d%% %,d/%,d rows  %s (%d/%d)  %,.0f rows/s",
                    "#".repeat(filled),
                    ".".repeat(WIDTH - filled),
                    (int) (fraction * 100),
                    allRows,
                    total,
                    table.name(),
                    index + 1,
                    tables,
                    allRows / Math.max((now - started) / 1e9, 1e-3));
            String padded = line + " ".repeat(Math.max(0, drawn - line.length()));
            out.print("\r" + picocli.CommandLine.Help.Ansi.AUTO.string("@|bold " + padded + "|@"));
            out.flush();
            drawn = line.length();
        }

        @Override
        public void finished(H2ToPostgresql.Table table, Duration took) {
            index++;
            clear();
            out.printf(Locale.ROOT, "  %-22s %,12d rows  %6.1f s%n", table.name(), table.rows(), took.toNanos() / 1e9);
        }

        void clear() {
            if (terminal && drawn > 0) {
                out.print("\r" + " ".repeat(drawn) + "\r");
                drawn = 0;
            }
        }
    }
}
