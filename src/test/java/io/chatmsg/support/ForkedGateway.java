package io.chatmsg.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway in a separate JVM, started as a user would (main class, the
 * test's classpath), so a test can kill it with SIGKILL and look at what is
 * left on disk.
 */
public final class ForkedGateway implements AutoCloseable {

    private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();
    private static final Pattern WEB_PORT = Pattern.compile("Tomcat started on port (\\d+)");
    private static final Pattern LISTENING = Pattern.compile("CHAT-MSG/1 listening on tcp \\S+:(\\d+)");

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Path dataDir;
    /** The database it runs on: see {@link TestStore}. */
    private final String url;

    private ForkedGateway(Process process, Path dataDir, String url) {
        this.process = process;
        this.dataDir = dataDir;
        this.url = url;
        Thread t = new Thread(this::pump, "forked-gateway-output");
        t.setDaemon(true);
        t.start();
    }

    public static ForkedGateway start(Path dataDir, String... extraArgs) throws IOException {
        return startWithHeap("256m", dataDir, extraArgs);
    }

    public static ForkedGateway startWithHeap(String maxHeap, Path dataDir, String... extraArgs) throws IOException {
        List<String> cmd =
                JarLikeCommand.withHeap(maxHeap, "--chat.port=0", "--server.port=0", "--chat.data-dir=" + dataDir);
        return launch(cmd, dataDir, extraArgs);
    }

    /** The gateway on a given chat port (TCP and, by default, UDP), e.g. to connect before it says it listens. */
    public static ForkedGateway startOnPort(Path dataDir, int port, String... extraArgs) throws IOException {
        List<String> cmd = JarLikeCommand.of("--chat.port=" + port, "--server.port=0", "--chat.data-dir=" + dataDir);
        return launch(cmd, dataDir, extraArgs);
    }

    /**
     * The gateway on the database given, whatever {@link TestStore} says: {@code url} null is the
     * default H2 file in the data dir, else a PostgreSQL URL ({@link TestStore}'s user).
     */
    public static ForkedGateway startOnDatabase(Path dataDir, String url, String... extraArgs) throws IOException {
        List<String> cmd = JarLikeCommand.of("--chat.port=0", "--server.port=0", "--chat.data-dir=" + dataDir);
        if (url != null) {
            cmd.add("--spring.datasource.url=" + url);
            cmd.add("--spring.datasource.username=" + TestStore.user(url));
        }
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        return new ForkedGateway(p, dataDir, url);
    }

    /**
     * On PostgreSQL ({@link TestStore}) the data dir's gateway gets a database of its own,
     * the same one each time the same data dir is started again (a restart).
     */
    private static ForkedGateway launch(List<String> cmd, Path dataDir, String... extraArgs) throws IOException {
        String url = null;
        if (TestStore.postgresql()) {
            url = DATABASES.computeIfAbsent(dataDir.toAbsolutePath(), d -> TestStore.newPostgresDatabase());
            cmd.add("--spring.datasource.url=" + url);
            cmd.add("--spring.datasource.username=" + TestStore.user());
        }
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        return new ForkedGateway(p, dataDir, url);
    }

    /**
     * On PostgreSQL: the next start of {@code dataDir}'s gateway runs on the database at
     * {@code url} (one a test made, e.g. to restore a backup into) instead of a new one.
     */
    public static void useDatabase(Path dataDir, String url) {
        DATABASES.put(dataDir.toAbsolutePath(), url);
    }

    private void pump() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException ignored) {
            // process ended
        } finally {
            port.completeExceptionally(new IllegalStateException("gateway exited before listening:\n" + output()));
        }
    }

    /** The dashboard's port, once the gateway says it listens (after {@link #awaitPort}). */
    public int webPort() {
        Matcher m = WEB_PORT.matcher(output());
        if (!m.find()) {
            throw new IllegalStateException("no web port in the output:\n" + output());
        }
        return Integer.parseInt(m.group(1));
    }

    /** The chat port, once the gateway says it listens. */
    public int awaitPort() throws Exception {
        return port.get(90, TimeUnit.SECONDS);
    }

    public Process process() {
        return process;
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** SIGTERM, as systemd or Ctrl-C would. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gateway did not stop within 60 s:\n" + output());
        }
        return process.exitValue();
    }

    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Opens the gateway's database directly (H2's file only once the process has ended). */
    public Connection openDatabase() throws SQLException {
        if (url != null) {
            return DriverManager.getConnection(url, TestStore.user(url), "");
        }
        return DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("chatmsg"), "sa", "");
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
