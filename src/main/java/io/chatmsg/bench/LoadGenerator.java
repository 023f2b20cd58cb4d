package io.chatmsg.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * address it is given and stops by itself; {@code writepath} talks to no
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
        BenchSettings s = settings.idPrefix().isEmpty()
                ? settings.withIdPrefix("b" + Long.toString(System.nanoTime() & 0xfffff, 36) + "x")
                : settings;
        long cpuBefore = cpuNanos();
        long wallBefore = System.nanoTime();
        if (s.scenario() == BenchSettings.Scenario.writepath) {
            return writePath(s, out, cpuBefore, wallBefore);
        }
        Counters c = new Engine(s, new InetSocketAddress(address, s.port())).run();
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        double cpu = (cpuNanos() - cpuBefore) / 1e9;
        out.println(Report.line(TrafficReport.of(s, address.getHostAddress(), c, cpu, wall)));
        out.flush();
        return c.fatal == null ? 0 : 1;
    }

    /** Scenario (e): the message log and the group-commit writer on a fresh H2 file database in a temp dir. */
    private static int writePath(BenchSettings s, PrintStream out, long cpuBefore, long wallBefore)
            throws IOException, InterruptedException {
        // The database libraries log at INFO to standard output: keep it for the JSON line.
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.ERROR);
        }
        Path dir = Files.createTempDirectory("chatmsg-writepath-");
        try {
            var r = WritePathBenchmark.run(dir, s.clients(), s.window(), s.warmup(), s.duration());
            double wall = (System.nanoTime() - wallBefore) / 1e9;
            double cpu = (cpuNanos() - cpuBefore) / 1e9;
            out.println(Report.line(WritePathReport.of(s.clients(), s.window(), s.duration(), r, cpu, wall)));
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
