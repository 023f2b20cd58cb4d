package io.chatmsg.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Checks the settings that most often stop a start (the ports and the data
 * dir) before Spring starts, so a typo costs a second, not the context's start
 * time: from the command line, else a {@code -D} system property, else the
 * environment (Spring Boot's order). Anything else Spring Boot checks itself.
 */
final class Preflight {

    private static final List<String> PORTS = List.of("chat.port", "chat.tls.port", "chat.udp.port", "server.port");
    private static final String DATA_DIR = "chat.data-dir";

    private Preflight() {}

    /** Null when these settings can work, else the one-line reason. */
    static String problem(String[] serverArgs, Map<String, String> env, Properties system) {
        for (String key : PORTS) {
            Setting s = find(key, serverArgs, env, system);
            if (s.problem != null) {
                return s.problem;
            }
            if (s.value != null && !isPort(s.value)) {
                return s.label + ": not a port number (0-65535)";
            }
        }
        Setting dir = find(DATA_DIR, serverArgs, env, system);
        if (dir.problem != null) {
            return dir.problem;
        }
        if (dir.value != null) {
            try {
                String why = DataDirs.whyUnusable(Path.of(dir.value));
                return why == null ? null : dir.label + ": " + why;
            } catch (InvalidPathException e) {
                return dir.label + ": not a valid path (" + e.getReason() + ")";
            }
        }
        return null;
    }

    /** The value that wins, how the user wrote it, or why it is ambiguous. */
    private record Setting(String value, String label, String problem) {}

    private static Setting find(String key, String[] serverArgs, Map<String, String> env, Properties system) {
        List<String> given = new ArrayList<>();
        String value = null;
        for (String arg : serverArgs) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            if (relaxed(name).equals(relaxed(key))) {
                given.add(arg);
                value = eq < 0 ? "" : arg.substring(eq + 1);
            }
        }
        if (given.size() > 1) {
            return new Setting(null, null, String.join(" ", given) + ": given more than once");
        }
        if (!given.isEmpty()) {
            return new Setting(value, given.get(0), null);
        }
        String property = system.getProperty(key);
        if (property != null && !property.isBlank()) {
            return new Setting(property, "-D" + key + "=" + property, null);
        }
        String plain = key.toUpperCase(Locale.ROOT).replace('.', '_');
        for (String name : List.of(plain.replace("-", ""), plain.replace('-', '_'))) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return new Setting(v, name + "=" + v + " (environment)", null);
            }
        }
        return new Setting(null, null, null);
    }

    /** Spring Boot's relaxed names: case, dashes and underscores do not matter. */
    private static String relaxed(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** As Spring Boot reads an int (decimal, or hex with 0x or #), from 0 to 65535. */
    private static boolean isPort(String value) {
        try {
            int port = Integer.decode(value.strip()); // as Spring's NumberUtils reads it
            return port >= 0 && port <= 65535;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
