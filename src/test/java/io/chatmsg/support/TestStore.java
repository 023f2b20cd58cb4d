package io.chatmsg.support;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Which database the tests run the gateway on: the embedded H2 file (the default), or
 * PostgreSQL when the system property {@code chat.test.store} is {@code postgresql}
 * (the build's second run of the store-sensitive tests sets it). On PostgreSQL each
 * Spring context, forked gateway or store gets a database of its own, made here
 * (on {@value #HOST}:{@value #PORT}, user {@code postgres}, trust authentication) and
 * dropped when the test JVM ends.
 *
 * <p>As a JUnit condition on every test (registered through {@code META-INF/services}): with
 * PostgreSQL asked for but not reachable, the test is skipped with one line saying so, except
 * under {@code CI=true}, where it runs (and fails).
 */
public final class TestStore implements ExecutionCondition {

    /** For JUnit's extension registry (META-INF/services). */
    public TestStore() {}

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5432;
    private static final String ADMIN_URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres";
    private static final String USER = "postgres";
    private static final String PREFIX = "chatmsg_test_";
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final List<String> MADE = new ArrayList<>();
    private static boolean cleaned;
    private static volatile boolean toldSkip;

    /** True when this run's gateways use PostgreSQL. */
    public static boolean postgresql() {
        return "postgresql".equals(System.getProperty("chat.test.store", "h2").toLowerCase(Locale.ROOT));
    }

    /** The JDBC URL for a new gateway: a fresh PostgreSQL database, or the H2 file in {@code dataDir}. */
    public static String newUrl(Path dataDir) {
        return postgresql()
                ? newPostgresDatabase()
                : "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("chatmsg") + ";WRITE_DELAY=0;USER=sa;PASSWORD=";
    }

    /** The user for {@link #newUrl}'s database. */
    public static String user() {
        return postgresql() ? USER : "sa";
    }

    /** The user for a database's URL: PostgreSQL's or H2's. */
    public static String user(String url) {
        return url.startsWith("jdbc:postgresql:") ? USER : "sa";
    }

    /** A new, empty PostgreSQL database, dropped when the test JVM ends; its JDBC URL. */
    public static synchronized String newPostgresDatabase() {
        String name = PREFIX + PID + "_" + COUNT.incrementAndGet();
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, "");
                Statement st = c.createStatement()) {
            if (!cleaned) {
                cleaned = true;
                dropLeftovers(st);
                Runtime.getRuntime().addShutdownHook(new Thread(TestStore::dropMine, "drop-test-databases"));
            }
            st.execute("CREATE DATABASE " + name);
            MADE.add(name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on PostgreSQL at " + ADMIN_URL, e);
        }
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
    }

    /** Databases of test JVMs that ended without dropping theirs (killed). */
    private static void dropLeftovers(Statement st) throws SQLException {
        List<String> stale = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
            while (rs.next()) {
                String name = rs.getString(1);
                String[] parts = name.substring(PREFIX.length()).split("_");
                boolean alive = parts.length == 2
                        && ProcessHandle.of(Long.parseLong(parts[0])).isPresent();
                if (!alive) {
                    stale.add(name);
                }
            }
        }
        for (String name : stale) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static synchronized void dropMine() {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, "");
                Statement st = c.createStatement()) {
            for (String name : MADE) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("could not drop the test databases " + MADE + ": " + e.getMessage());
        }
    }

    /** True when something listens on PostgreSQL's port. */
    public static boolean reachable() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!postgresql() || "true".equals(System.getenv("CI")) || reachable()) {
            return ConditionEvaluationResult.enabled("store: " + (postgresql() ? "postgresql" : "h2"));
        }
        String why = "PostgreSQL run skipped: nothing listens on " + HOST + ":" + PORT
                + " (start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)";
        if (!toldSkip) {
            toldSkip = true;
            System.err.println(why);
        }
        return ConditionEvaluationResult.disabled(why);
    }
}
