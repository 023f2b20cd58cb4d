package io.chatmsg.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.chatmsg.chat.ClusterBus;
import io.chatmsg.config.NodeIdentity;
import io.chatmsg.config.StartupProblem;
import io.chatmsg.store.StoreProperties;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * {@link ClusterBus} on Redis, through Lettuce's asynchronous API on one shared
 * connection: commands from every thread are pipelined on it and run in the order
 * they were sent, so one sender's hand-overs reach a stream in order. Ids are
 * claimed with a script (read and write in one step); every event is one
 * {@code XADD}, each stream trimmed to about {@value #STREAM_LENGTH} entries.
 *
 * <p>The connection comes from Spring Boot's {@link LettuceConnectionFactory}
 * ({@code spring.data.redis.url}); Lettuce reconnects on its own, and while it is
 * disconnected commands fail at once ({@link ClusterConfiguration}) instead of piling up.
 */
@Component
@ConditionalOnProperty(name = "chat.cluster.enabled", havingValue = "true")
class RedisBus implements ClusterBus, DisposableBean {

    static final long STREAM_LENGTH = 100_000;

    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);
    private static final String CLAIM = "local v = redis.call('HGET', KEYS[1], ARGV[1])"
            + " if (not v) or v == ARGV[2] then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return '' end"
            + " return v";
    private static final String RELEASE = "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2]"
            + " then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0";
    private static final XAddArgs TRIMMED =
            XAddArgs.Builder.maxlen(STREAM_LENGTH).approximateTrimming();

    private final String node;
    private final ClusterKeys keys;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong entries = new AtomicLong();

    RedisBus(LettuceConnectionFactory factory, ClusterKeys keys, NodeIdentity identity, StoreProperties store) {
        this.node = identity.id();
        this.keys = keys;
        factory.start();
        this.client = (RedisClient) factory.getRequiredNativeClient();
        this.connection = connectWaiting(client, store.startupWait());
        this.redis = connection.async();
    }

    /**
     * The first connection, tried again every 2 s for up to {@code wait} (as the database
     * is: {@code chat.store.startup-wait}); then one line and exit status 2.
     */
    static StatefulRedisConnection<String, String> connectWaiting(RedisClient client, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return client.connect();
            } catch (RedisException e) {
                if (System.nanoTime() > deadline) {
                    throw StartupProblem.configuration(
                            "cluster mode cannot reach Redis: " + rootMessage(e),
                            "start Redis, or set spring.data.redis.url to the cluster's Redis"
                                    + " (chat.store.startup-wait waits for it at start)",
                            e);
                }
                log.warn("Redis cannot be reached yet ({}); trying again", rootMessage(e));
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Redis", interrupted);
                }
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Another connection of the same client, for a reader that blocks on it. */
    StatefulRedisConnection<String, String> connectAnother() {
        return client.connect();
    }

    RedisAsyncCommands<String, String> commands() {
        return redis;
    }

    ClusterKeys keys() {
        return keys;
    }

    @Override
    public String nodeId() {
        return node;
    }

    @Override
    public CompletableFuture<String> claim(String key, String value) {
        return redis.<String>eval(CLAIM, ScriptOutputType.VALUE, new String[] {keys.presence()}, key, value)
                .toCompletableFuture()
                .thenApply(v -> v == null ? "" : v)
                .whenComplete((v, failure) -> counted(failure));
    }

    @Override
    public CompletableFuture<Map<String, String>> holders() {
        return redis.hgetall(keys.presence()).toCompletableFuture().whenComplete((v, failure) -> counted(failure));
    }

    @Override
    public CompletableFuture<String> holder(String key) {
        return redis.hget(keys.presence(), key).toCompletableFuture().whenComplete((v, failure) -> counted(failure));
    }

    @Override
    public void release(String key, String value) {
        redis.<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[] {keys.presence()}, key, value)
                .whenComplete((v, failure) -> counted(failure));
    }

    @Override
    public void toNode(String toNode, Map<String, String> event) {
        add(keys.inbox(toNode), event);
    }

    @Override
    public void toAll(Map<String, String> event) {
        add(keys.all(), event);
    }

    @Override
    public void control(Map<String, String> event) {
        add(keys.control(), event);
    }

    private void add(String stream, Map<String, String> event) {
        entries.incrementAndGet();
        redis.xadd(stream, TRIMMED, event).whenComplete((id, failure) -> counted(failure));
    }

    private void counted(Throwable failure) {
        if (failure != null && failures.getAndIncrement() % 1000 == 0) {
            log.warn("Redis command failed ({} so far): {}", failures.get(), rootMessage(failure));
        }
    }

    /** Commands that failed (Redis away); for health and metrics. */
    long failures() {
        return failures.get();
    }

    /** Stream entries written by this node. */
    long entries() {
        return entries.get();
    }

    @Override
    public void destroy() {
        connection.close();
    }
}
