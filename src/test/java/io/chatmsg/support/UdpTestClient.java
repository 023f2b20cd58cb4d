package io.chatmsg.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A UDP CHAT-MSG client for tests: one datagram per command, datagrams received whole. */
public final class UdpTestClient implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress server;

    public UdpTestClient(int port) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        server = new InetSocketAddress("127.0.0.1", port);
    }

    public UdpTestClient send(String line) throws IOException {
        return sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code LOGIN id} as a client does it: a {@code 428 VERIFY <cookie>} is answered
     * with {@code VERIFY <cookie>} (which must get {@code 200 VERIFY}) and the LOGIN
     * sent again. Returns the LOGIN's reply datagram.
     */
    public String login(String id) throws IOException {
        send("LOGIN " + id);
        String reply = receive();
        if (reply.startsWith("428 VERIFY ")) {
            verify(reply.substring("428 VERIFY ".length()).strip());
            send("LOGIN " + id);
            reply = receive();
        }
        return reply;
    }

    /** {@code VERIFY cookie}; fails unless it gets {@code 200 VERIFY}. */
    public void verify(String cookie) throws IOException {
        send("VERIFY " + cookie);
        String verified = receive();
        if (!verified.equals("200 VERIFY\r\n")) {
            throw new AssertionError("VERIFY " + cookie + " got " + verified);
        }
    }

    public UdpTestClient sendRaw(byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, server));
        return this;
    }

    /** The next datagram, as text (may hold several CR LF lines), or null after {@code millis}. */
    public String receive(int millis) throws IOException {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout(millis);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    public String receive() throws IOException {
        String d = receive(5000);
        if (d == null) {
            throw new AssertionError("no datagram within 5 s");
        }
        return d;
    }

    /** The next datagram that is not a presence event (JOIN/LEAVE). */
    public String receiveSkippingPresence() throws IOException {
        String d = receive();
        while (d.startsWith("JOIN ") || d.startsWith("LEAVE ")) {
            d = receive();
        }
        return d;
    }

    /** Datagrams until one holds a final reply line for {@code code} (a multi-line reply may span several). */
    public List<String> receiveUntilFinal(String code) throws IOException {
        List<String> datagrams = new ArrayList<>();
        while (true) {
            String d = receive();
            if (d.startsWith("JOIN ") || d.startsWith("LEAVE ")) {
                continue;
            }
            datagrams.add(d);
            if (d.contains("\r\n" + code + " ") || d.startsWith(code + " ")) {
                return datagrams;
            }
        }
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        socket.close();
    }
}
