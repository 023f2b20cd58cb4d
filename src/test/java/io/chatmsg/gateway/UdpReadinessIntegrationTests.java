package io.chatmsg.gateway;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.ForkedGateway;
import io.chatmsg.support.UdpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness means every listener answers: once the TCP port accepts, the very
 * first UDP datagram is answered (no retry to hide a loss), as a client or a
 * load balancer's health check that starts with TCP expects.
 */
class UdpReadinessIntegrationTests {

    @Test
    void theFirstDatagramSentOnceTcpAcceptsIsAnswered(@TempDir Path dir) throws Exception {
        int port = freeForTcpAndUdp();
        try (ForkedGateway g = ForkedGateway.startOnPort(dir, port)) {
            awaitTcpAccepts(g, port);
            long accepted = System.nanoTime();
            try (UdpTestClient u = new UdpTestClient(port)) {
                u.send("PING first");
                String answer = u.receive(10_000);
                assertThat(answer)
                        .as("the answer to the first datagram after TCP accepted; gateway output:\n" + g.output())
                        .isEqualTo("200 PONG first\r\n");
                System.out.printf(
                        "UDP answered the first PING %.1f ms after TCP accepted%n",
                        (System.nanoTime() - accepted) / 1e6);
            }
        }
    }

    private static void awaitTcpAccepts(ForkedGateway g, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                if (s.getLocalPort() != port) {
                    return;
                }
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline || !g.process().isAlive()) {
                    throw new AssertionError("TCP never accepted; gateway output:\n" + g.output(), e);
                }
            }
            Thread.sleep(5);
        }
    }

    /**
     * A port number free for both TCP and UDP right now, below Linux's ephemeral
     * range: connecting in a loop to a free ephemeral port can connect a socket to
     * itself (TCP simultaneous open), which looks like an accept and then holds
     * the port the gateway wants.
     */
    private static int freeForTcpAndUdp() {
        for (int i = 0; i < 200; i++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket tcp = new ServerSocket(port);
                    DatagramSocket udp = new DatagramSocket(port)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no port free for both TCP and UDP");
    }
}
