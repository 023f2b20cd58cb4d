package io.chatmsg.ops;

import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;
import io.chatmsg.config.StartupProblem;
import io.chatmsg.store.Vendor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A server database (PostgreSQL) is tried once, with one connection of its own,
 * as soon as the pool is configured and before the pool or Flyway use it: one that
 * cannot be reached (nothing listening, unknown host, no such database, wrong
 * user or password) stops the start with a {@link StartupProblem} naming the URL
 * (never the password) and what to check, exit status 2, instead of the pool's
 * and Flyway's pages of retries and stack traces. With {@code chat.store.startup-wait}
 * (deploy/azure sets it) a failure that time can mend is tried again for that long
 * first, so a node restarted during a database fail-over waits for it rather than
 * stopping for good. The embedded H2 file is not
 * tried here: opening it is the pool's first act, and its failures have their own
 * lines ({@link StartupFailureAnalyzer}).
 */
@Component
class DatabaseCheck implements BeanPostProcessor {

    /** Seconds the one try may take (pgjdbc's {@code loginTimeout}), unless the URL says otherwise. */
    static final String LOGIN_TIMEOUT_SECONDS = "20";

    private static final Logger log = LoggerFactory.getLogger(DatabaseCheck.class);
    private static final Duration RETRY_EVERY = Duration.ofSeconds(2);

    private final Environment environment;

    DatabaseCheck(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
            String url = pool.getJdbcUrl();
            boolean clustered = Binder.get(environment)
                    .bind("chat.cluster.enabled", Boolean.class)
                    .orElse(false);
            if (clustered && !url.startsWith("jdbc:postgresql:")) {
                throw StartupProblem.configuration(
                        "cluster mode (chat.cluster.enabled=true) needs PostgreSQL, not " + withoutPassword(url),
                        "set spring.datasource.url=jdbc:postgresql://HOST:5432/DB for every node"
                                + " (docs/cluster.md), or leave chat.cluster.enabled off",
                        null);
            }
            if (!url.startsWith("jdbc:h2:")) {
                // Read here, not from StoreProperties: a post-processor runs before such beans exist.
                Duration wait = Binder.get(environment)
                        .bind("chat.store.startup-wait", Duration.class)
                        .orElse(Duration.ZERO);
                checkWaiting(url, pool.getUsername(), pool.getPassword(), pool.getDataSourceProperties(), wait);
            }
        }
        return bean;
    }

    /**
     * {@link #check}, tried again every 2 s for up to {@code wait} while the failure is one that
     * time can mend (nothing listening yet, a host name not resolving yet, a server starting up,
     * fail-over, all connection slots taken); wrong credentials or a missing database fail at once.
     */
    static void checkWaiting(String url, String user, String password, Properties extra, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                check(url, user, password, extra);
                return;
            } catch (StartupProblem p) {
                if (!(p.getCause() instanceof SQLException e) || !mendable(e) || System.nanoTime() > deadline) {
                    throw p;
                }
                log.warn(
                        "{}; trying again for up to {} s (chat.store.startup-wait)",
                        p.getMessage(),
                        Duration.ofNanos(deadline - System.nanoTime()).toSeconds());
                try {
                    Thread.sleep(RETRY_EVERY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw p;
                }
            }
        }
    }

    /** Connection failures (class 08), cannot-connect-now (57P03), too many connections (53300), or DNS. */
    static boolean mendable(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        if (state.startsWith("08") || state.equals("57P03") || state.equals("53300")) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    static void check(String url, String user, String password, Properties extra) {
        String shown = withoutPassword(url) + (user == null || user.isEmpty() ? "" : " as user " + user);
        try {
            Vendor.ofUrl(url);
        } catch (IllegalArgumentException e) {
            throw StartupProblem.configuration(
                    "spring.datasource.url=" + withoutPassword(url) + " is not a database the gateway runs on",
                    "Use jdbc:postgresql://HOST:5432/DB, or leave it unset for the embedded H2 database.",
                    e);
        }
        Properties props = new Properties();
        props.putAll(extra);
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.putIfAbsent("loginTimeout", LOGIN_TIMEOUT_SECONDS);
        try {
            Driver driver = DriverManager.getDriver(url);
            try (Connection c = driver.connect(url, props)) {
                c.isValid(5);
            }
        } catch (SQLException e) {
            throw StartupProblem.configuration(
                    "cannot connect to the database " + shown + ": " + why(e), whatToCheck(e), e);
        }
    }

    /** The driver's first line, or the host it could not resolve (pgjdbc says just "The connection attempt failed."). */
    private static String why(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException u) {
                return "unknown host " + u.getMessage();
            }
        }
        return StartupFailures.firstLine(e.getMessage());
    }

    /** By PostgreSQL's SQL state (the connection's failure: class 08, 28, 3D). */
    static String whatToCheck(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        if (state.equals("28P01")) {
            return "Check spring.datasource.username and spring.datasource.password.";
        }
        if (state.startsWith("28")) {
            return "Check spring.datasource.username and spring.datasource.password, and that the server lets"
                    + " this user in from this host (pg_hba.conf; on a managed service, its firewall rules).";
        }
        if (state.equals("3D000")) {
            return "Create that database (owned by the gateway's user, or with CREATE granted to it),"
                    + " or fix its name in spring.datasource.url.";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "Check the host name in spring.datasource.url (and this machine's DNS).";
            }
        }
        return "Check that PostgreSQL runs at that host and port and accepts connections from this machine"
                + " (listen_addresses, firewall), or fix spring.datasource.url.";
    }

    /** The URL as it may be shown: a {@code password=} parameter blanked. */
    static String withoutPassword(String url) {
        return url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***");
    }
}
