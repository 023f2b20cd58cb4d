package io.chatmsg.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A PUT before LOGIN is answered, then the connection is closed: its body is not
 * read (it used to be read, and dropped, at line rate until the login deadline).
 */
class PutBeforeLoginIntegrationTests extends GatewayIntegrationTest {

    private static final long GIGABYTE = 1_000_000_000L;
    private static final long SOCKET_BUFFERS = 64L << 20;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aGigabytePutBeforeLoginGets401AndTheConnectionClosesUnread() throws Exception {
        Outcome o = attack("PUT bob " + GIGABYTE + " big.bin");
        assertThat(o.lines()).containsExactly("401 not logged in", "BYE PUT before LOGIN");
        assertThat(o.sent()).isLessThan(SOCKET_BUFFERS);
        assertThat(o.bytesReadByServer()).isLessThan(SOCKET_BUFFERS);
        System.out.printf(
                "PUT of 1 GB before LOGIN: server read %,d bytes, client could send %,d%n",
                o.bytesReadByServer(), o.sent());
    }

    @Test
    void aPutRefusedBeforeItRunsIsClosedTooBeforeLogin() throws Exception {
        // A bad name is refused by the parser, before the login check: still no body read.
        Outcome o = attack("PUT bob " + GIGABYTE + " ../etc/passwd");
        assertThat(o.lines().get(0)).startsWith("400 bad name");
        assertThat(o.lines()).endsWith("BYE PUT before LOGIN");
        assertThat(o.bytesReadByServer()).isLessThan(SOCKET_BUFFERS);
    }

    @Test
    void aLoggedInClientStillHasItsRefusedBodyReadAndStaysConnected() throws Exception {
        String alice = uniqueId("alice");
        try (io.chatmsg.support.FileClient a = io.chatmsg.support.FileClient.login(gateway.port(), alice)) {
            byte[] body = "LOGIN mallory\r\nWHO\r\n".getBytes(StandardCharsets.UTF_8);
            assertThat(a.put(uniqueId("nobody"), "x.txt", body)).startsWith("404 no such client ");
            assertThat(a.command("PING sync")).isEqualTo("200 PONG sync");
        }
    }

    private record Outcome(java.util.List<String> lines, long sent, long bytesReadByServer) {}

    /** Sends {@code putLine} and then up to a gigabyte of body, reading what the server says until it closes. */
    private Outcome attack(String putLine) throws Exception {
        AtomicLong sent = new AtomicLong();
        java.util.List<String> lines = new java.util.ArrayList<>();
        String local;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5000);
            s.setSoTimeout(10_000);
            local = "127.0.0.1:" + s.getLocalPort();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HELLO ");
            OutputStream out = s.getOutputStream();
            Thread pump = new Thread(() -> {
                try {
                    out.write((putLine + "\r\n").getBytes(StandardCharsets.UTF_8));
                    byte[] chunk = new byte[64 * 1024];
                    while (sent.get() < GIGABYTE) {
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (IOException expected) {
                    // the server closed the connection
                }
            });
            pump.start();
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.net.SocketException reset) {
                // closed with the body still arriving: a reset after the last line
            }
            pump.join(10_000);
            assertThat(pump.isAlive())
                    .as("the client's writes fail once the server has closed")
                    .isFalse();
        }
        long[] read = {0};
        await().untilAsserted(() -> {
            var rows = jdbc.queryForList(
                    "SELECT bytes_in FROM sessions WHERE remote_address = ? AND end_reason = 'put before login'",
                    Long.class,
                    local);
            assertThat(rows).hasSize(1);
            read[0] = rows.get(0);
        });
        return new Outcome(lines, sent.get(), read[0]);
    }
}
