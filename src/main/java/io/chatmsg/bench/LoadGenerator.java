package io.chatmsg.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load generator (docs/performance.md): runs one scenario with checked
 * {@link BenchSettings} and prints its one JSON line. Talks only to the
 * addresses it is given ({@link Gateways}) and stops by itself; {@code writepath} talks to no
 * server at all. The {@code bench} command of the CLI is its front end.
 */
public final class LoadGenerator {

    private LoadGenerator() {}

    /**
     * Runs the scenario and prints its JSON line to {@code out}. Returns the
     * exit status: 0, or 1 when the run failed ({@code fatal} in the line, or
     * failed writes).
     */
    public static int run(BenchSettings settings, InetAddress address, PrintStream out) throws Exception {
        return run(settings, StoreOptions.NONE, address, out);
    }

    /**
     * The options of the scenarios on a database: {@code url} is the JDBC URL for
     * {@code writepath} (empty: a fresh H2 file in a temp dir) and {@code fill};
     * {@code messages} how many {@code fill} writes; {@code adminPassword} the
     * operator's password for {@code search}.
     */
    public record StoreOptions(String url, long messages, String adminPassword) {
        public static final StoreOptions NONE = new StoreOptions("", 0, "");

        /** Why these make no sense for the scenario (one line), or null. */
        public String problem(BenchSettings.Scenario scenario) {
            if (scenario == BenchSettings.Scenario.fill && url.isEmpty()) {
                return "--scenario fill needs --url (jdbc:postgresql://... or jdbc:h2:file:...)";
            }
            if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
                return "--url must be jdbc:postgresql://HOST:PORT/DB or jdbc:h2:file:PATH";
            }
            if (scenario == BenchSettings.Scenario.fill && (messages < 1 || messages > 1_000_000_000)) {
                return "--messages must be from 1 to 1000000000";
            }
            if (scenario == BenchSettings.Scenario.search && adminPassword.isEmpty()) {
                return "--scenario search needs --admin-password (the gateway's chat.admin.password)";
            }
            return null;
        }
    }

    /** As {@link #run(BenchSettings, InetAddress, PrintStream)}, with the database scenarios' options. */
    public static int run(BenchSettings settings, StoreOptions store, InetAddress address, PrintStream out)
            throws Exception {
        return run(settings, store, Gateways.one(address, settings.port()), out);
    }

    /**
     * As {@link #run(BenchSettings, StoreOptions, InetAddress, PrintStream)}, the clients spread
     * over {@code gateways} (the first one's address for {@code search}).
     */
    public static int run(BenchSettings settings, StoreOptions store, Gateways gateways, PrintStream out)
            throws Exception {
        InetAddress address = gateways.addresses().get(0).getAddress();
        BenchSettings s = settings.idPrefix().isEmpty()
                ? settings.withIdPrefix("b" + Long.toString(System.nanoTime() & 0xfffff, 36) + "x")
                : settings;
        long cpuBefore = cpuNanos();
        long wallBefore = System.nanoTime();
        if (s.scenario() == BenchSettings.Scenario.writepath) {
            return writePath(s, store.url(), out, cpuBefore, wallBefore);
        }
        if (s.scenario() == BenchSettings.Scenario.fill) {
            quietDatabaseLogs();
            out.println(Report.line(SearchFill.run(store.url(), store.messages())));
            return 0;
        }
        if (s.scenario() == BenchSettings.Scenario.search) {
            var r = SearchBenchmark.run(address.getHostAddress(), s.port(), store.adminPassword(), s.duration());
            out.println(Report.line(r));
            return r.errors() == 0 ? 0 : 1;
        }
        Counters c = new Engine(s, gateways).run();
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        double cpu = (cpuNanos() - cpuBefore) / 1e9;
        out.println(Report.line(TrafficReport.of(s, gateways, c, cpu, wall)));
        out.flush();
        return c.fatal == null ? 0 : 1;
    }

    /** The database libraries log at INFO to standard output: keep it for the JSON line. */
    private static void quietDatabaseLogs() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.ERROR);
        }
    }

    /**
     * Scenario (e): the message log and the group-commit writer on the database at {@code url},
     * or on a fresh H2 file database in a temp dir.
     */
    private static int writePath(BenchSettings s, String url, PrintStream out, long cpuBefore, long wallBefore)
            throws IOException, InterruptedException {
        quietDatabaseLogs();
        Path dir = Files.createTempDirectory("chatmsg-writepath-");
        try {
            var costs = new WritePathBenchmark.Costs[1];
            var r = WritePathBenchmark.run(
                    url.isEmpty() ? WritePathBenchmark.h2Url(dir) : url,
                    s.clients(),
                    s.window(),
                    s.warmup(),
                    s.duration(),
                    costs);
            double wall = (System.nanoTime() - wallBefore) / 1e9;
            double cpu = (cpuNanos() - cpuBefore) / 1e9;
            out.println(Report.line(WritePathReport.of(s.clients(), s.window(), s.duration(), r, costs[0], cpu, wall)));
            return r.failed() == 0 ? 0 : 1;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }
}
