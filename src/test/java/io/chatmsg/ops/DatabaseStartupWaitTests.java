package io.chatmsg.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.chatmsg.config.StartupProblem;
import io.chatmsg.support.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code chat.store.startup-wait}: a start that cannot reach PostgreSQL yet waits for it
 * (a node restarted during a fail-over), but wrong names fail at once.
 */
class DatabaseStartupWaitTests {

    @BeforeEach
    void needsPostgres() {
        assumeTrue(
                TestStore.reachable() || "true".equals(System.getenv("CI")),
                "PostgreSQL is not running on 127.0.0.1:5432: skipped");
    }

    @Test
    void aDatabaseThatComesUpWithinTheWaitIsUsed() throws Exception {
        String database = TestStore.newPostgresDatabase();
        String name = database.substring(database.lastIndexOf('/') + 1);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // free now: nothing listens there until the proxy below
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
        CompletableFuture<Void> started = CompletableFuture.runAsync(
                () -> DatabaseCheck.checkWaiting(url, "postgres", "", new Properties(), Duration.ofSeconds(60)));
        Thread.sleep(3000);
        assertThat(started).as("still waiting: nothing listens yet").isNotDone();
        try (ServerSocket proxy = new ServerSocket()) {
            proxy.bind(new InetSocketAddress("127.0.0.1", port));
            Thread forward = new Thread(() -> forwardAll(proxy), "pg-proxy");
            forward.setDaemon(true);
            forward.start();
            started.get(30, TimeUnit.SECONDS); // no exception: connected through the proxy
        }
    }

    @Test
    void aMissingDatabaseFailsAtOnceWhateverTheWait() {
        String url = "jdbc:postgresql://" + TestStore.HOST + ":" + TestStore.PORT + "/chatmsg_no_such_db";
        long t0 = System.nanoTime();
        assertThatThrownBy(
                        () -> DatabaseCheck.checkWaiting(url, "postgres", "", new Properties(), Duration.ofSeconds(60)))
                .isInstanceOf(StartupProblem.class)
                .hasMessageContaining("does not exist");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void withNoWaitNothingListeningFailsOnTheFirstTry() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/chat";
        assertThatThrownBy(() -> DatabaseCheck.checkWaiting(url, "postgres", "", new Properties(), Duration.ZERO))
                .isInstanceOf(StartupProblem.class)
                .hasMessageContaining("refused");
    }

    /** Each connection to {@code proxy} piped to PostgreSQL, both ways. */
    private static void forwardAll(ServerSocket proxy) {
        while (!proxy.isClosed()) {
            try {
                Socket client = proxy.accept();
                Socket server = new Socket(TestStore.HOST, TestStore.PORT);
                pipe(client.getInputStream(), server.getOutputStream());
                pipe(server.getInputStream(), client.getOutputStream());
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void pipe(InputStream in, OutputStream out) {
        Thread t = new Thread(
                () -> {
                    try (in;
                            out) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // one side closed
                    }
                },
                "pg-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }
}
