package io.chatmsg.support;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blocking CHAT-MSG client that can read raw bodies (GET) as well as lines:
 * what the line-only {@link ChatTestClient} cannot. Events met while waiting for
 * a reply are kept, in order, in {@link #events()}.
 */
public final class FileClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final List<String> events = new ArrayList<>();

    public FileClient(int port) throws IOException {
        this(port, null);
    }

    /** Connected from {@code localAddress} (e.g. 127.0.0.2: another loopback address), or any when null. */
    public FileClient(int port, String localAddress) throws IOException {
        socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        in = new BufferedInputStream(socket.getInputStream(), 65536);
        out = new BufferedOutputStream(socket.getOutputStream(), 65536);
        assertThat(readLine()).startsWith("HELLO ");
    }

    public static FileClient login(int port, String id) throws IOException {
        FileClient c = new FileClient(port);
        assertThat(c.command("LOGIN " + id)).isEqualTo("200 LOGIN " + id);
        return c;
    }

    /** Sends one line and returns its reply (events before it are kept). */
    public String command(String line) throws IOException {
        send(line);
        return reply();
    }

    public FileClient send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    public FileClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** PUT and its body in one write; returns the reply. */
    public String put(String target, String name, byte[] body) throws IOException {
        out.write(("PUT " + target + " " + body.length + " " + name + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
        return reply();
    }

    /** The file id of a {@code 201 PUT <id>} reply. */
    public static String fileId(String reply) {
        assertThat(reply).startsWith("201 PUT ");
        return reply.substring("201 PUT ".length());
    }

    /** GET: the reply line, then (for 200) exactly the announced bytes. */
    public Fetched get(String fileId) throws IOException {
        send("GET " + fileId);
        String reply = reply();
        if (!reply.startsWith("200 ")) {
            return new Fetched(reply, null);
        }
        String[] parts = reply.split(" ", 5);
        return new Fetched(reply, readBytes(Long.parseLong(parts[3])));
    }

    public record Fetched(String reply, byte[] body) {}

    /** The next reply line; events met on the way are kept. */
    public String reply() throws IOException {
        while (true) {
            String line = readLine();
            if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
                return line;
            }
            events.add(line);
        }
    }

    /** The next event, whether already read or still to come. */
    public String event() throws IOException {
        if (!events.isEmpty()) {
            return events.remove(0);
        }
        String line = readLine();
        assertThat(line).as("expected an event").doesNotMatch("^\\d.*");
        return line;
    }

    /** The next event that is not presence (JOIN/LEAVE). */
    public String eventSkippingPresence() throws IOException {
        String e = event();
        while (e.startsWith("JOIN ") || e.startsWith("LEAVE ")) {
            e = event();
        }
        return e;
    }

    public List<String> events() {
        return events;
    }

    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("closed after " + line.size() + " bytes of a line");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        assertThat(bytes.length).isPositive();
        assertThat(bytes[bytes.length - 1]).as("CR before LF").isEqualTo((byte) '\r');
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
    }

    public byte[] readBytes(long n) throws IOException {
        byte[] body = in.readNBytes(Math.toIntExact(n));
        if (body.length != n) {
            throw new EOFException("body ended after " + body.length + " of " + n + " bytes");
        }
        return body;
    }

    public InputStream input() {
        return in;
    }

    public OutputStream output() {
        return out;
    }

    public static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
