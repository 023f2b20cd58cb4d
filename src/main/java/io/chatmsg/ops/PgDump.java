package io.chatmsg.ops;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's own backup tool, run for the gateway's database: {@code pg_dump -Fc}
 * (custom format, compressed, for {@code pg_restore}). The connection comes from the
 * JDBC URL (host, port, database, {@code sslmode}); the password goes to pg_dump in
 * its environment ({@code PGPASSWORD}), never on its command line (which every local
 * user can read in {@code ps}) or in a log line.
 */
final class PgDump {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)");
    private static final Pattern URL =
            Pattern.compile("jdbc:postgresql://([^/?]*)/([^?]*)(?:\\?(.*))?", Pattern.CASE_INSENSITIVE);

    private final String binary;
    private final String host;
    private final String port;
    private final String database;
    private final String sslmode;
    private final String user;
    private final String password;

    PgDump(String binary, String jdbcUrl, String user, String password) {
        Matcher m = URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL URL pg_dump can use: " + jdbcUrl);
        }
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (String hostPort : m.group(1).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            boolean hasPort = colon > 0 && !hostPort.endsWith("]");
            String h = hasPort ? hostPort.substring(0, colon) : hostPort;
            hosts.add(h.isEmpty() ? "localhost" : h.replace("[", "").replace("]", ""));
            ports.add(hasPort ? hostPort.substring(colon + 1) : "5432");
        }
        String params = m.group(3) == null ? "" : m.group(3);
        this.binary = binary;
        this.host = String.join(",", hosts);
        this.port = String.join(",", ports);
        this.database = decode(m.group(2));
        this.sslmode = param(params, "sslmode");
        String urlUser = param(params, "user");
        this.user = user != null && !user.isEmpty() ? user : urlUser;
        String urlPassword = param(params, "password");
        this.password = password != null && !password.isEmpty() ? password : urlPassword;
    }

    /** The major version of the pg_dump binary, or a reason why there is none. */
    sealed interface Version {}

    record Found(int major) implements Version {}

    record Missing(String why) implements Version {}

    Version version() {
        try {
            Process p = new ProcessBuilder(binary, "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Missing(binary + " --version did not answer");
            }
            Matcher m = VERSION.matcher(out);
            if (p.exitValue() != 0 || !m.find()) {
                return new Missing(binary + " --version said: " + StartupFailures.firstLine(out.strip()));
            }
            return new Found(Integer.parseInt(m.group(1)));
        } catch (IOException e) {
            return new Missing("pg_dump was not found (chat.backup.pg-dump=" + binary + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Missing("interrupted");
        }
    }

    /**
     * Dumps the database into {@code file} (which exists, with the permissions it is to
     * keep); what pg_dump says goes to {@code log}. Throws with pg_dump's last line if it
     * fails, or after {@code timeout}.
     */
    void dump(Path file, Path log, Duration timeout) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary, "--format=custom", "--no-password", "--file=" + file));
        cmd.add("--dbname=" + connectionString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.remove("PGPASSWORD");
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("pg_dump did not finish within " + timeout + " (chat.backup.timeout)");
        }
        if (p.exitValue() != 0) {
            List<String> said = Files.readAllLines(log, StandardCharsets.UTF_8);
            String last = said.isEmpty() ? "" : ": " + said.get(said.size() - 1);
            throw new IllegalStateException("pg_dump failed with status " + p.exitValue() + last);
        }
    }

    /** libpq's keyword/value form; no password in it. */
    String connectionString() {
        StringBuilder s = new StringBuilder();
        s.append("host=").append(quote(host)).append(" port=").append(quote(port));
        s.append(" dbname=").append(quote(database));
        if (user != null && !user.isEmpty()) {
            s.append(" user=").append(quote(user));
        }
        if (sslmode != null) {
            s.append(" sslmode=").append(quote(sslmode));
        }
        return s.toString();
    }

    private static String quote(String v) {
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String param(String params, String name) {
        for (String p : params.split("&")) {
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).equalsIgnoreCase(name)) {
                return decode(p.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
