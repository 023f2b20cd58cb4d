package io.chatmsg.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.chatmsg.config.NodeIdentity;
import io.chatmsg.store.StoreProperties;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis side of cluster mode against the real Redis on 127.0.0.1:6379, under a key
 * prefix of its own (deleted after): the id claim that makes 409 hold across nodes,
 * its release, and one stream entry per event.
 */
class RedisBusTests {

    private final String prefix = "chatmsg-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ":";
    private LettuceConnectionFactory factory;
    private RedisBus one;
    private RedisBus two;

    @BeforeEach
    void connect() {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        factory.afterPropertiesSet();
        StoreProperties store = new StoreProperties(16, 1, Duration.ZERO);
        try {
            one = new RedisBus(factory, new ClusterKeys(prefix), new NodeIdentity("one", true), store);
        } catch (RuntimeException e) {
            Assumptions.assumeFalse(
                    "true".equals(System.getenv("CI")), "Redis must run on 127.0.0.1:6379 under CI: " + e);
            Assumptions.abort("skipped: no Redis on 127.0.0.1:6379 (" + e.getMessage() + ")");
        }
        two = new RedisBus(factory, new ClusterKeys(prefix), new NodeIdentity("two", true), store);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (one != null) {
            List<String> keys = one.commands().keys(prefix + "*").get();
            if (!keys.isEmpty()) {
                one.commands().del(keys.toArray(String[]::new)).get();
            }
            one.destroy();
            two.destroy();
        }
        factory.destroy();
    }

    @Test
    void anIdHeldByOneNodeIsRefusedToAnotherUntilReleased() throws Exception {
        assertThat(one.claim("alice", "one\t1\tAlice").get()).isEmpty();
        assertThat(two.claim("alice", "two\t7\talice").get()).isEqualTo("one\t1\tAlice");
        assertThat(one.claim("alice", "one\t1\tAlice").get())
                .as("claiming again what one holds")
                .isEmpty();

        two.release("alice", "two\t7\talice"); // not two's: nothing happens
        await().during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(2))
                .until(() -> one.commands().hget(prefix + "presence", "alice").get() != null);

        one.release("alice", "one\t1\tAlice");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> two.claim("alice", "two\t7\talice").get().isEmpty());
    }

    @Test
    void eachEventIsOneEntryOfItsStream() throws Exception {
        one.toNode("two", Map.of("t", "m", "i", "1"));
        one.toNode("two", Map.of("t", "m", "i", "2"));
        one.toAll(Map.of("t", "m", "x", "hello"));
        one.control(Map.of("t", "b"));
        await().atMost(Duration.ofSeconds(2))
                .until(() -> one.commands().xlen(prefix + "inbox:two").get() == 2);
        List<StreamMessage<String, String>> inbox = one.commands()
                .xrange(prefix + "inbox:two", Range.create("-", "+"))
                .get();
        assertThat(inbox).extracting(m -> m.getBody().get("i")).containsExactly("1", "2");
        assertThat(one.commands().xlen(prefix + "all").get()).isEqualTo(1);
        assertThat(one.commands().xlen(prefix + "control").get()).isEqualTo(1);
        assertThat(one.entries()).isEqualTo(4);
    }
}
