package io.chatmsg.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Gateway nodes in cluster mode, each a forked JVM ({@link ForkedGateway}) with a data dir of its
 * own, all on one new PostgreSQL database and one Redis under a key prefix of this cluster's own.
 * Nodes are numbered from 1 and named {@code node-1}, {@code node-2}, ...; a node can be killed
 * (kill -9), terminated (SIGTERM) and started again under the same name. {@link #close} kills
 * whatever still runs and deletes the cluster's Redis keys, also after a failed test; each run's
 * output is kept in {@code target/cluster-logs/} for reading a failure afterwards.
 */
public final class ForkedCluster implements AutoCloseable {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "cluster-test-password";
    /** Short timings, so that a dead node is noticed within seconds (the defaults are 10 s). */
    public static final Duration HEARTBEAT = Duration.ofSeconds(1);

    public static final Duration NODE_TIMEOUT = Duration.ofSeconds(4);

    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    private static final String ADMIN_URL = "jdbc:postgresql://" + TestStore.HOST + ":" + TestStore.PORT + "/postgres";

    private final Path baseDir;
    private final String url;
    private final int redisPort;
    private final String keyPrefix;
    private final List<String> extraArgs;
    private final ForkedGateway[] nodes;
    private final int[] runs;
    /** Each node's chat port while it listens, else -1: for clients that must not block on a starting node. */
    private final AtomicIntegerArray ports;

    private ForkedCluster(Path baseDir, int size, int redisPort, List<String> extraArgs) {
        this.baseDir = baseDir;
        this.url = TestStore.newPostgresDatabase();
        this.redisPort = redisPort;
        this.keyPrefix = "chatmsg-test-" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet() + ":";
        this.extraArgs = extraArgs;
        this.nodes = new ForkedGateway[size + 1];
        this.runs = new int[size + 1];
        this.ports = new AtomicIntegerArray(size + 1);
        for (int i = 0; i <= size; i++) {
            ports.set(i, -1);
        }
    }

    /**
     * Starts {@code size} nodes on the Redis at {@code redisPort}: node 1 first (it migrates the
     * new database), then the others together. Returns once all listen.
     */
    public static ForkedCluster start(Path baseDir, int size, int redisPort, String... extraArgs) throws Exception {
        ForkedCluster c = new ForkedCluster(baseDir, size, redisPort, List.of(extraArgs));
        try {
            c.launch(1);
            c.awaitListening(1);
            for (int i = 2; i <= size; i++) {
                c.launch(i);
            }
            for (int i = 2; i <= size; i++) {
                c.awaitListening(i);
            }
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    public int size() {
        return nodes.length - 1;
    }

    public static String nodeId(int node) {
        return "node-" + node;
    }

    /** The chat port of a node that listens (fails for one that does not). */
    public int port(int node) {
        int p = ports.get(node);
        if (p < 0) {
            throw new IllegalStateException(nodeId(node) + " is not listening");
        }
        return p;
    }

    /** The chat port, or -1 while the node is down or starting. */
    public int portIfListening(int node) {
        return ports.get(node);
    }

    public int webPort(int node) {
        return nodes[node].webPort();
    }

    public AdminApi api(int node) {
        return new AdminApi(webPort(node), ADMIN_USER, ADMIN_PASSWORD);
    }

    public ForkedGateway node(int node) {
        return nodes[node];
    }

    public boolean running(int node) {
        return nodes[node] != null && nodes[node].process().isAlive();
    }

    /** Starts the node again if it is not running; returns once it listens. */
    public void ensureRunning(int node) throws Exception {
        if (!running(node)) {
            start(node);
        }
    }

    /** Starts a node that is down, under its old name and data dir; returns once it listens. */
    public void start(int node) throws Exception {
        if (running(node)) {
            throw new IllegalStateException(nodeId(node) + " is running");
        }
        launch(node);
        awaitListening(node);
    }

    /** kill -9 of a node. */
    public void kill(int node) throws InterruptedException {
        ports.set(node, -1);
        nodes[node].kill();
        keepLog(node);
    }

    /** SIGTERM to a node, waiting for it to end: its exit status. */
    public int terminate(int node) throws InterruptedException {
        ports.set(node, -1);
        int status = nodes[node].terminate();
        keepLog(node);
        return status;
    }

    public String databaseUrl() {
        return url;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public Connection openDatabase() throws SQLException {
        return DriverManager.getConnection(url, TestStore.user(url), "");
    }

    /** One number from the cluster's database. */
    public long queryLong(String sql) throws SQLException {
        try (Connection c = openDatabase();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** How the recorded session ended ({@code sessions.end_reason}), null while it is open or unknown. */
    public String endReason(long session) throws SQLException {
        try (Connection c = openDatabase();
                PreparedStatement st = c.prepareStatement("SELECT end_reason FROM sessions WHERE id = ?")) {
            st.setLong(1, session);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * What an operator's {@code pg_terminate_backend} or a PostgreSQL restart does to the nodes:
     * every connection of theirs is cut. How many were.
     */
    public int terminateDatabaseConnections() throws SQLException {
        String db = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(ADMIN_URL, TestStore.user(url), "");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid))"
                        + " FROM pg_stat_activity WHERE datname = '" + db + "' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void launch(int node) throws IOException {
        runs[node]++;
        List<String> args = new ArrayList<>(List.of(
                "--chat.cluster.enabled=true",
                "--chat.cluster.node-id=" + nodeId(node),
                "--chat.cluster.key-prefix=" + keyPrefix,
                "--chat.cluster.heartbeat=" + HEARTBEAT.toSeconds() + "s",
                "--chat.cluster.node-timeout=" + NODE_TIMEOUT.toSeconds() + "s",
                "--spring.data.redis.url=" + TestRedis.url(redisPort),
                "--chat.admin.password=" + ADMIN_PASSWORD));
        args.addAll(extraArgs);
        nodes[node] = ForkedGateway.startOnDatabase(baseDir.resolve(nodeId(node)), url, args.toArray(String[]::new));
        Reaper.watch(nodes[node].process());
    }

    private void awaitListening(int node) throws Exception {
        try {
            ports.set(node, nodes[node].awaitPort());
        } catch (Exception e) {
            keepLog(node);
            throw new IllegalStateException(nodeId(node) + " did not start; its output is in " + logFile(node), e);
        }
    }

    private Path logFile(int node) {
        return Path.of(
                "target", "cluster-logs", keyPrefix.replace(':', '_') + nodeId(node) + ".run-" + runs[node] + ".log");
    }

    private void keepLog(int node) {
        if (nodes[node] == null) {
            return;
        }
        try {
            Path file = logFile(node);
            Files.createDirectories(file.getParent());
            Files.writeString(file, nodes[node].output(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("could not keep " + nodeId(node) + "'s output: " + e.getMessage());
        }
    }

    /** Kills every node still running, keeps each one's last output, and deletes the cluster's Redis keys. */
    @Override
    public void close() {
        for (int i = 1; i < nodes.length; i++) {
            if (nodes[i] == null) {
                continue;
            }
            ports.set(i, -1);
            nodes[i].close();
            try {
                nodes[i].process().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            keepLog(i);
        }
        try {
            TestRedis.deleteKeys(redisPort, keyPrefix);
        } catch (IOException e) {
            System.err.println(
                    "could not delete the Redis keys " + keyPrefix + "* on port " + redisPort + ": " + e.getMessage());
        }
    }
}
