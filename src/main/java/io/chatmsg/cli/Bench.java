package io.chatmsg.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.chatmsg.bench.BenchSettings;
import io.chatmsg.bench.BenchSettings.Proto;
import io.chatmsg.bench.BenchSettings.Scenario;
import io.chatmsg.bench.Gateways;
import io.chatmsg.bench.LoadGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bench HOST PORT --proto chatmsg|irc --scenario dm|fanout|connect|writepath|fill|search ...}:
 * the command line of the load generator (docs/performance.md), which lives in
 * {@code io.chatmsg.bench} ({@link LoadGenerator}). This class only reads and
 * checks the options: nonsense gets a one-line reason and exit status 2.
 * {@code --hosts} replaces HOST PORT to spread the clients over a cluster's nodes.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = TerminalClient.Version.class,
        description = "Load generator: logs N clients in to a CHAT-MSG gateway or an IRC server, drives traffic,"
                + " and prints one JSON line of throughput, latency, loss and duplicates.",
        exitCodeOnInvalidInput = Launcher.USAGE_ERROR)
final class Bench implements Callable<Integer> {

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
                    + " alone in this process (--clients producer threads, --url); fill: write --messages"
                    + " messages into the database at --url; search: the dashboard's message search against the"
                    + " gateway whose HTTP port is PORT (--admin-password) (default: ${DEFAULT-VALUE})")
    Scenario scenario;

    @Option(
            names = "--hosts",
            defaultValue = "",
            paramLabel = "HOST:PORT,...",
            description = "dm, fanout, connect: instead of HOST PORT, the gateways (a cluster's nodes) to spread"
                    + " the clients over, client i on the (i mod n)-th; dm then counts the messages that cross"
                    + " from one gateway to another")
    String hosts;

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

    @Option(
            names = "--url",
            defaultValue = "",
            description = "writepath, fill: the JDBC URL of the database (jdbc:postgresql://HOST:5432/DB);"
                    + " writepath without it: a fresh H2 file in a temp dir")
    String url;

    @Option(
            names = "--messages",
            defaultValue = "1000000",
            description = "fill: messages to write (default: ${DEFAULT-VALUE})")
    long messages;

    @Option(
            names = "--admin-password",
            defaultValue = "",
            description = "search: the operator's password (chat.admin.password; user admin)")
    String adminPassword;

    @Spec
    CommandSpec spec;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        if (!hosts.isEmpty()) {
            return spread();
        }
        BenchSettings settings = new BenchSettings(
                port, proto, scenario, clients, rate, window, duration, warmup, payload, connecting, idPrefix);
        LoadGenerator.StoreOptions store = new LoadGenerator.StoreOptions(url, messages, adminPassword);
        String problem = settings.problem() != null ? settings.problem() : store.problem(scenario);
        InetAddress address = Launcher.checkedAddress("bench", problem, host, err);
        if (address == null) {
            return Launcher.USAGE_ERROR;
        }
        return LoadGenerator.run(settings, store, address, out);
    }

    /** {@code --hosts}: the same run, its clients spread over the gateways listed. */
    private int spread() throws Exception {
        String problem = null;
        Gateways gateways = null;
        if (spec.commandLine().getParseResult().hasMatchedPositional(0)) {
            problem = "give either HOST PORT or --hosts, not both";
        } else if (scenario != Scenario.dm && scenario != Scenario.fanout && scenario != Scenario.connect) {
            problem = "--hosts is for --scenario dm, fanout or connect";
        } else {
            try {
                gateways = Gateways.parse(hosts);
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        int first = gateways == null ? port : gateways.addresses().get(0).getPort();
        BenchSettings settings = new BenchSettings(
                first, proto, scenario, clients, rate, window, duration, warmup, payload, connecting, idPrefix);
        if (problem == null) {
            problem = settings.problem();
        }
        if (problem != null) {
            err.println("bench: " + problem);
            return Launcher.USAGE_ERROR;
        }
        return LoadGenerator.run(settings, LoadGenerator.StoreOptions.NONE, gateways, out);
    }
}
