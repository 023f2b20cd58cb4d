package io.chatmsg.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Properties;

import picocli.CommandLine;

/**
 * Reads the command line before Spring does: {@code client ...} runs the
 * terminal client, {@code monitor ...} the latency probe, {@code bench ...} the load generator and
 * {@code copy-to-postgresql ...} the move from H2, without a Spring context; a bare number is the chat port,
 * and everything else must be {@code --key=value} for Spring Boot. The ports and
 * the data dir are checked here ({@link Preflight}), before Spring starts.
 */
public final class Launcher {

    /** Exit status for bad arguments (the README). */
    public static final int USAGE_ERROR = 2;

    static final String USAGE = String.join(
            System.lineSeparator(),
            "Usage: java -jar chat-gateway.jar [PORT] [--key=value ...]",
            "       java -jar chat-gateway.jar client HOST PORT [--id ID] [--tls [--fingerprint SHA256 | --insecure]]",
            "       java -jar chat-gateway.jar monitor HOST PORT [--interval 10s] [--count N]",
            "       java -jar chat-gateway.jar bench [HOST PORT] --proto chatmsg|irc --scenario dm|fanout|connect ...",
            "       java -jar chat-gateway.jar copy-to-postgresql --data-dir DIR --url jdbc:postgresql://HOST:5432/DB",
            "",
            "Runs the ChatMsg Gateway (CHAT-MSG/1 on TCP PORT, default 12345; dashboard on --server.port, default 8080),",
            "or the interactive terminal client. Properties (--chat.data-dir=..., --chat.limits.idle-timeout=...)",
            "are listed in the README.",
            "",
            "  client HOST PORT   connect to a gateway and chat; 'client --help' for its options",
            "  monitor HOST PORT  probe a gateway's latency with UDP PING, a line per probe; 'monitor --help'",
            "  bench HOST PORT    load generator: one JSON line of throughput and latency; 'bench --help'",
            "  copy-to-postgresql move a stopped gateway's H2 data into an empty PostgreSQL database;",
            "                     password from PGPASSWORD or a prompt; 'copy-to-postgresql --help'",
            "  -h, --help         show this help",
            "  -V, --version      print the version");

    public static final String USAGE_HINT =
            "Usage: java -jar chat-gateway.jar [PORT] [--key=value ...]  ('--help' for more; properties in the README)";

    private Launcher() {}

    /**
     * Returns the arguments for Spring Boot, or null when a tool ran instead
     * (the JVM exits with that tool's status).
     */
    public static String[] serverArgsOrRunTool(String[] args) {
        Outcome o = parse(args, System.out, System.err);
        if (o.exitCode != null) {
            System.exit(o.exitCode);
        }
        return o.serverArgs;
    }

    record Outcome(String[] serverArgs, Integer exitCode) {}

    static Outcome parse(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            return new Outcome(args, null);
        }
        String first = args[0];
        switch (first) {
            case "client":
                return new Outcome(null, new CommandLine(new TerminalClient()).execute(rest(args)));
            case "monitor":
                return new Outcome(null, new CommandLine(new Monitor()).execute(rest(args)));
            case "bench":
                return new Outcome(null, new CommandLine(new Bench()).execute(rest(args)));
            case "copy-to-postgresql":
                return new Outcome(null, new CommandLine(new CopyToPostgresql()).execute(rest(args)));
            case "-h", "--help", "help":
                out.println(USAGE);
                return new Outcome(null, 0);
            case "-V", "--version":
                out.println("chat-gateway " + version());
                return new Outcome(null, 0);
            default:
                break;
        }
        String[] serverArgs = args.clone();
        if (first.chars().allMatch(Character::isDigit)) {
            int port = first.length() > 5 ? -1 : Integer.parseInt(first);
            if (port < 0 || port > 65535) {
                return usageError(err, "port must be a number from 0 to 65535, not " + first);
            }
            serverArgs[0] = "--chat.port=" + port;
        }
        for (String a : serverArgs) {
            if (!a.startsWith("--") || a.length() == 2) {
                return usageError(err, "unexpected argument '" + a + "' (properties are --key=value)");
            }
        }
        String problem = Preflight.problem(serverArgs, System.getenv(), System.getProperties());
        if (problem != null) {
            return usageError(err, problem);
        }
        return new Outcome(serverArgs, null);
    }

    /**
     * For the tools: the address to talk to, or null after printing the one-line reason
     * ({@code problem} with the arguments, or a host that does not resolve); exit with
     * {@link #USAGE_ERROR} then.
     */
    static java.net.InetAddress checkedAddress(String tool, String problem, String host, PrintStream err) {
        if (problem != null) {
            err.println(tool + ": " + problem);
            return null;
        }
        try {
            return java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            err.println(tool + ": unknown host " + host);
            return null;
        }
    }

    /** One line of why and one of usage (the whole usage is {@code --help}). */
    private static Outcome usageError(PrintStream err, String reason) {
        err.println("chat-gateway: " + reason);
        err.println(USAGE_HINT);
        return new Outcome(null, USAGE_ERROR);
    }

    private static String[] rest(String[] args) {
        return Arrays.copyOfRange(args, 1, args.length);
    }

    /** {@code 0.1.0 (commit aa633d3)}, from what the build put in the jar; no Spring needed. */
    public static String version() {
        Properties build = resource("META-INF/build-info.properties");
        Properties git = resource("git.properties");
        String version = build.getProperty("build.version", "development build");
        String commit = git.getProperty("git.commit.id.abbrev");
        if (commit == null) {
            return version;
        }
        return version + " (commit " + commit + ("true".equals(git.getProperty("git.dirty")) ? ", modified" : "") + ")";
    }

    private static Properties resource(String name) {
        Properties p = new Properties();
        try (InputStream in = Launcher.class.getClassLoader().getResourceAsStream(name)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no build information: a development build
        }
        return p;
    }
}
