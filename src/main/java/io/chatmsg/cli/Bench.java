package io.chatmsg.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench HOST PORT --proto chatmsg|irc --scenario dm|fanout|connect ...}:
 * the load generator (docs/performance.md). One thread of non-blocking sockets
 * logs N clients in, drives traffic, and prints one JSON line. Every payload
 * carries its sequence number and send time, so the receiving side measures
 * latency and finds lost and duplicated messages. Talks only to the address
 * it is given (127.0.0.1 by default) and stops by itself.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = TerminalClient.Version.class,
        description = "Load generator: logs N clients in to a CHAT-MSG gateway or an IRC server, drives traffic,"
                + " and prints one JSON line of throughput, latency, loss and duplicates.",
        exitCodeOnInvalidInput = Launcher.USAGE_ERROR)
final class Bench implements Callable<Integer> {

    enum Proto {
        chatmsg,
        irc
    }

    enum Scenario {
        dm,
        fanout,
        connect,
        writepath
    }

    @Parameters(
            index = "0",
            arity = "0..1",
            defaultValue = "127.0.0.1",
            paramLabel = "HOST",
            description = "server address (default: ${DEFAULT-VALUE}); nothing else is ever contacted")
    String host;

    @Parameters(
            index = "1",
            arity = "0..1",
            defaultValue = "12345",
            paramLabel = "PORT",
            description = "server port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--proto",
            defaultValue = "chatmsg",
            description = "chatmsg or irc (NICK/USER, PRIVMSG, PING/PONG) (default: ${DEFAULT-VALUE})")
    Proto proto;

    @Option(
            names = "--scenario",
            defaultValue = "dm",
            description = "dm: direct messages to random peers; fanout: one sender to everyone;"
                    + " connect: log everyone in, then stay idle; writepath: no server, the durable write path"
                    + " alone in this process (--clients producer threads) (default: ${DEFAULT-VALUE})")
    Scenario scenario;

    @Option(names = "--clients", defaultValue = "100", description = "clients to log in (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description = "messages per second in all; 0: as fast as the window allows (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(
            names = "--window",
            defaultValue = "8",
            description = "unacknowledged messages per sender (IRC: undelivered) (default: ${DEFAULT-VALUE})")
    int window;

    @Option(
            names = "--duration",
            defaultValue = "10s",
            converter = Monitor.DurationConverter.class,
            description = "measured time, after the warm-up (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(
            names = "--warmup",
            defaultValue = "2s",
            converter = Monitor.DurationConverter.class,
            description = "traffic before the measurement starts (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(
            names = "--payload",
            defaultValue = "64",
            description = "bytes of message text, at least 40 (default: ${DEFAULT-VALUE})")
    int payload;

    @Option(
            names = "--connecting",
            defaultValue = "500",
            description = "connections being opened and logged in at once (default: ${DEFAULT-VALUE})")
    int connecting;

    @Option(
            names = "--id-prefix",
            defaultValue = "",
            description = "client ids/nicks are PREFIX0, PREFIX1, ...; default: b plus a random tag per run")
    String idPrefix;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        InetAddress address = Launcher.checkedAddress("bench", problem(), host, err);
        if (address == null) {
            return Launcher.USAGE_ERROR;
        }
        if (idPrefix.isEmpty()) {
            idPrefix = "b" + Long.toString(System.nanoTime() & 0xfffff, 36) + "x";
        }
        long cpuBefore = cpuNanos();
        long wallBefore = System.nanoTime();
        if (scenario == Scenario.writepath) {
            return writePath(cpuBefore, wallBefore);
        }
        BenchEngine engine = new BenchEngine(this, address);
        BenchEngine.Result r = engine.run();
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        double cpu = (cpuNanos() - cpuBefore) / 1e9;
        out.println(r.json(cpu, wall));
        out.flush();
        return r.fatal() == null ? 0 : 1;
    }

    /** Scenario (e): MessageLog and the group-commit writer on a fresh H2 file database in a temp dir. */
    private int writePath(long cpuBefore, long wallBefore) throws Exception {
        // The database libraries log at INFO to standard output: keep it for the JSON line.
        var root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("chatmsg-writepath-");
        try {
            var r = io.chatmsg.history.WritePathBenchmark.run(dir, clients, window, warmup, duration);
            double wall = (System.nanoTime() - wallBefore) / 1e9;
            double cpu = (cpuNanos() - cpuBefore) / 1e9;
            var h = r.latencyMicros();
            out.println("{\"scenario\":\"writepath\",\"producers\":" + clients + ",\"window\":" + window
                    + ",\"duration_s\":" + fmt(duration.toNanos() / 1e9) + ",\"acknowledged\":" + r.acknowledged()
                    + ",\"messages_per_s\":" + fmt(r.perSecond()) + ",\"commits\":" + r.commits()
                    + ",\"failed\":" + r.failed() + ",\"latency_ms\":{\"p50\":"
                    + fmt(h.getValueAtPercentile(50) / 1000.0)
                    + ",\"p99\":" + fmt(h.getValueAtPercentile(99) / 1000.0) + ",\"p99.9\":"
                    + fmt(h.getValueAtPercentile(99.9) / 1000.0) + ",\"max\":" + fmt(h.getMaxValue() / 1000.0)
                    + "},\"cpu_pct\":" + fmt(100 * cpu / wall) + "}");
            return r.failed() == 0 ? 0 : 1;
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    String problem() {
        if (port < 1 || port > 65535) {
            return "port must be from 1 to 65535, not " + port;
        }
        if (clients < 1 || clients > 200_000) {
            return "--clients must be from 1 to 200000, not " + clients;
        }
        if (scenario != Scenario.connect && scenario != Scenario.writepath && clients < 2) {
            return "--scenario " + scenario + " needs at least 2 clients";
        }
        if (rate < 0) {
            return "--rate must be 0 (full speed) or more";
        }
        if (window < 1 || window > 100_000) {
            return "--window must be from 1 to 100000";
        }
        if (duration.isZero() || duration.isNegative() || duration.compareTo(Duration.ofHours(24)) > 0) {
            return "--duration must be above 0 and at most 24h";
        }
        if (warmup.isNegative()) {
            return "--warmup must not be negative";
        }
        if (payload < 40 || payload > 3000) {
            return "--payload must be from 40 to 3000 bytes";
        }
        if (connecting < 1) {
            return "--connecting must be at least 1";
        }
        if (!idPrefix.matches("[A-Za-z][A-Za-z0-9]{0,15}|")) {
            return "--id-prefix must be a letter and up to 15 letters or digits";
        }
        return null;
    }

    private static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }
}
