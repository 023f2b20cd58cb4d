package io.chatmsg.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The few Redis commands the cluster tests need for set-up and clean-up (PING, SCAN, DEL),
 * spoken in RESP over a plain socket: the tests do not depend on which client library the
 * gateway uses, and a test can talk to a Redis it has just started or stopped.
 */
public final class TestRedis {

    public static final String HOST = "127.0.0.1";
    /** The machine's shared Redis, which the cluster tests use under a key prefix of their own. */
    public static final int PORT = 6379;

    private TestRedis() {}

    /** The URL a gateway node is given for the Redis on {@code port}. */
    public static String url(int port) {
        return "redis://" + HOST + ":" + port;
    }

    /** True when a Redis on {@code port} answers PING. */
    public static boolean reachable(int port) {
        try {
            return "PONG".equals(command(port, "PING"));
        } catch (IOException e) {
            return false;
        }
    }

    /** One command on a new connection: a String, Long, List of replies, or null. */
    public static Object command(int port, String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                req.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                req.writeBytes(b);
                req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(req.toByteArray());
            out.flush();
            return read(new BufferedInputStream(s.getInputStream()));
        }
    }

    /** Every key starting with {@code prefix}. */
    public static List<String> keys(int port, String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            List<?> page = (List<?>) command(port, "SCAN", cursor, "MATCH", glob(prefix) + "*", "COUNT", "1000");
            cursor = (String) page.get(0);
            for (Object k : (List<?>) page.get(1)) {
                keys.add((String) k);
            }
        } while (!cursor.equals("0"));
        return keys;
    }

    /** Deletes every key starting with {@code prefix}; how many there were. */
    public static int deleteKeys(int port, String prefix) throws IOException {
        List<String> keys = keys(port, prefix);
        for (int i = 0; i < keys.size(); i += 500) {
            List<String> cmd = new ArrayList<>(List.of("DEL"));
            cmd.addAll(keys.subList(i, Math.min(keys.size(), i + 500)));
            command(port, cmd.toArray(String[]::new));
        }
        return keys.size();
    }

    /** The prefix with the glob's special characters escaped, so that it matches only itself. */
    private static String glob(String prefix) {
        return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IOException("Redis: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n + 2);
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply: " + (char) type + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                throw new IOException("Redis closed the connection");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
