package io.chatmsg.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatmsg.gateway.ChatGateway;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests: one real gateway on a random port with a real
 * H2 file database in a temporary directory (or a PostgreSQL database of its own:
 * {@link TestStore}), shared by every test class that
 * extends this with the same properties (Spring caches the context; each
 * context has its own directory). Ids are unique per test, so tests
 * never see each other's clients. The gateway runs four event loops on any machine,
 * so deliveries between loops are always exercised.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "chat.port=0",
            "chat.server-name=test-gateway",
            // Several event loops whatever the machine (the default is one per two processors):
            // the tests cover routing between loops, as on a larger server.
            "chat.io-threads=4",
            "chat.admin.username=" + GatewayIntegrationTest.ADMIN,
            "chat.admin.password=" + GatewayIntegrationTest.PASSWORD
        })
public abstract class GatewayIntegrationTest {

    public static final String ADMIN = "operator";
    public static final String PASSWORD = "correct-horse-battery";

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @Autowired
    protected ChatGateway gateway;

    private final List<ChatTestClient> clients = new ArrayList<>();

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        // Called once per Spring context: contexts with other properties get their own database.
        Path dataDir = tempDir();
        registry.add("chat.data-dir", dataDir::toString);
        if (TestStore.postgresql()) {
            String url = TestStore.newPostgresDatabase();
            registry.add("spring.datasource.url", () -> url);
            registry.add("spring.datasource.username", TestStore::user);
            // Many cached contexts share one server (max_connections 100 by default): small pools.
            registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
            registry.add("spring.datasource.hikari.minimum-idle", () -> "1");
        }
    }

    /** A client id no other test uses, starting with {@code prefix}. */
    protected static String uniqueId(String prefix) {
        return prefix + IDS.incrementAndGet();
    }

    protected ChatTestClient connect() throws IOException {
        return track(ChatTestClient.connect(gateway.port()));
    }

    protected ChatTestClient connectRaw() throws IOException {
        return track(ChatTestClient.connectRaw(gateway.port()));
    }

    /** Connects from {@code localIp} (see {@link #freshAddress()}) and consumes HELLO. */
    protected ChatTestClient connectFrom(String localIp) throws IOException {
        return track(ChatTestClient.connectFrom(localIp, gateway.port()));
    }

    protected ChatTestClient connectRawFrom(String localIp) throws IOException {
        return track(ChatTestClient.connectRawFrom(localIp, gateway.port()));
    }

    /**
     * A loopback address no other test connects from (127.1.x.y): per-address state (throttles,
     * flapping, caps) of one test never reaches another. Only a context with
     * {@code chat.limits.exempt-loopback=false} holds loopback to those limits.
     */
    protected static String freshAddress() {
        int n = ADDRESSES.getAndIncrement();
        return "127.1." + (n / 250) + "." + (n % 250 + 1);
    }

    protected ChatTestClient login(String id) throws IOException {
        return track(ChatTestClient.login(gateway.port(), id));
    }

    private ChatTestClient track(ChatTestClient c) {
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    @AfterEach
    void closeClients() throws IOException {
        synchronized (clients) {
            for (ChatTestClient c : clients) {
                c.close();
            }
            clients.clear();
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("chatmsg-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
