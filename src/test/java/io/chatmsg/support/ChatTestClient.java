package io.chatmsg.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A raw-socket CHAT-MSG client for tests. A reader thread splits what the
 * server sends into lines (checking each ends with CR LF) and files them in
 * arrival order, and separately as replies (start with a digit) or events.
 */
public final class ChatTestClient implements AutoCloseable {

    public static final long TIMEOUT_SECONDS = 10;

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile String badTerminator;
    private volatile boolean answerPings;

    private ChatTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread t = new Thread(this::readLoop, "test-client-reader");
        t.setDaemon(true);
        t.start();
    }

    /** Connects and consumes the HELLO line. */
    public static ChatTestClient connect(int port) throws IOException {
        ChatTestClient c = connectRaw(port);
        assertThat(c.event()).startsWith("HELLO CHAT-MSG/1 ");
        return c;
    }

    public static ChatTestClient connectRaw(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new ChatTestClient(s);
    }

    /**
     * Connects from {@code localIp} (any of 127.0.0.0/8 on Linux): a test that needs an address
     * of its own, as another host would have, and consumes the HELLO line.
     */
    public static ChatTestClient connectFrom(String localIp, int port) throws IOException {
        ChatTestClient c = connectRawFrom(localIp, port);
        assertThat(c.event()).startsWith("HELLO CHAT-MSG/1 ");
        return c;
    }

    public static ChatTestClient connectRawFrom(String localIp, int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.bind(new InetSocketAddress(localIp, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new ChatTestClient(s);
    }

    /** Connects with TLS (any certificate: these tests check the gateway, not the PKI) and consumes HELLO. */
    public static ChatTestClient connectTls(int port, String... protocols) throws Exception {
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(
                null,
                new javax.net.ssl.TrustManager[] {
                    new javax.net.ssl.X509TrustManager() {
                        @Override
                        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

                        @Override
                        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                            return new java.security.cert.X509Certificate[0];
                        }
                    }
                },
                null);
        javax.net.ssl.SSLSocket s =
                (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        if (protocols.length > 0) {
            s.setEnabledProtocols(protocols);
        }
        s.startHandshake();
        ChatTestClient c = new ChatTestClient(s);
        assertThat(c.event()).startsWith("HELLO CHAT-MSG/1 ");
        return c;
    }

    /** Starts a new handshake on a TLS connection (TLS 1.2: a client-initiated renegotiation). */
    public void renegotiate() throws IOException {
        ((javax.net.ssl.SSLSocket) socket).startHandshake();
    }

    /** The TLS protocol the handshake agreed on. */
    public String tlsProtocol() {
        return ((javax.net.ssl.SSLSocket) socket).getSession().getProtocol();
    }

    /** Connects and logs in, expecting {@code 200 LOGIN id}. */
    public static ChatTestClient login(int port, String id) throws IOException {
        ChatTestClient c = connect(port);
        c.send("LOGIN " + id);
        assertThat(c.reply()).isEqualTo("200 LOGIN " + id);
        return c;
    }

    private void readLoop() {
        // Not try-with-resources: closing the stream would close the socket under a test still writing.
        try {
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                byte[] bytes = line.toByteArray();
                line.reset();
                int n = bytes.length;
                if (n == 0 || bytes[n - 1] != '\r') {
                    badTerminator = new String(bytes, StandardCharsets.UTF_8);
                } else {
                    n--;
                }
                String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
                synchronized (all) {
                    all.add(s);
                }
                if (!s.isEmpty() && Character.isDigit(s.charAt(0))) {
                    replies.add(s);
                } else if (answerPings && s.startsWith("PING ")) {
                    send("PONG " + s.substring(5));
                } else {
                    events.add(s);
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            closed.countDown();
        }
    }

    /** From now on the reader answers each server PING at once (and files it nowhere), as a prompt client does. */
    public ChatTestClient answerPings() {
        answerPings = true;
        return this;
    }

    public ChatTestClient send(String line) throws IOException {
        return sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public synchronized ChatTestClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next reply line (events are filed separately). */
    public String reply() {
        return take(replies, "reply");
    }

    /** Replies up to and including the final line of a multi-line reply. */
    public List<String> multiLineReply() {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = reply();
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return lines;
    }

    /** The next event, in arrival order. */
    public String event() {
        return take(events, "event");
    }

    /** Skips events until one matches; fails after the timeout. */
    public String eventMatching(Predicate<String> p) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            String e = poll(events, 100);
            if (e != null && p.test(e)) {
                return e;
            }
        }
        return fail("no matching event within %ds; last lines: %s", TIMEOUT_SECONDS, lastLines());
    }

    /** Events that arrive within {@code millis}, for asserting that nothing (else) comes. */
    public List<String> eventsWithin(long millis) {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            String e = poll(events, TimeUnit.NANOSECONDS.toMillis(left) + 1);
            if (e != null) {
                got.add(e);
            }
        }
        return got;
    }

    /** The last twenty lines, each cut at 120 characters: for failure messages. */
    private List<String> lastLines() {
        List<String> all = allLines();
        return all.subList(Math.max(0, all.size() - 20), all.size()).stream()
                .map(l -> l.length() > 120 ? l.substring(0, 120) + "..." : l)
                .toList();
    }

    public List<String> allLines() {
        synchronized (all) {
            return new ArrayList<>(all);
        }
    }

    /** True once the server has closed the connection (waits up to the timeout). */
    public boolean awaitClosed() throws InterruptedException {
        return closed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    public boolean awaitClosed(long seconds) throws InterruptedException {
        return closed.await(seconds, TimeUnit.SECONDS);
    }

    /** A line the server ended with a bare LF instead of CR LF, or null. */
    public String badTerminator() {
        return badTerminator;
    }

    private String take(BlockingQueue<String> q, String what) {
        String s = poll(q, TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        if (s == null) {
            fail("no %s within %ds; last lines: %s", what, TIMEOUT_SECONDS, lastLines());
        }
        return s;
    }

    private static String poll(BlockingQueue<String> q, long millis) {
        try {
            return q.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
