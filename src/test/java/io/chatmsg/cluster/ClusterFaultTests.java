package io.chatmsg.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.ClusterServices;
import io.chatmsg.support.ForkedCluster;
import io.chatmsg.support.PrivateRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static io.chatmsg.support.ForkedCluster.NODE_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/cluster.md: no message acknowledged to its sender is ever lost, whatever fails under a
 * steady load of direct messages between the nodes ({@link ClusterLoad}): a node killed with -9
 * (and started again), Redis taken away and brought back empty, every PostgreSQL connection of
 * the nodes cut. After each run every client logs in once more to drain its queue; the test
 * asserts none lost and prints one line of figures (duplicates are possible across a node's death
 * and are counted, not failed). Two nodes and a private redis-server shared by the class.
 *
 * <p>{@code -Dcluster.kills=10} kills more times than the build's 3; {@code -Dcluster.rate=}
 * sets the messages per second (200).
 */
@ExtendWith(ClusterServices.class)
class ClusterFaultTests {

    private static final int NODES = 2;
    private static final int KILLS = Integer.getInteger("cluster.kills", 3);
    private static final int RATE = Integer.getInteger("cluster.rate", 200);
    private static final int PEERS_PER_NODE = 4;
    /** Under load a dead node's clients may take a little longer than the idle contract's timeout + 4 s. */
    private static final Duration OFFLINE_WITHIN = NODE_TIMEOUT.plusSeconds(6);
    /** How long Redis stays away: longer than the node timeout, so that the heartbeats lapse. */
    private static final Duration REDIS_OUTAGE = NODE_TIMEOUT.plusSeconds(2);

    private static final Duration AFTER_REDIS_RETURNS = Duration.ofSeconds(15);

    @TempDir
    static Path dir;

    static PrivateRedis redis;
    static ForkedCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = PrivateRedis.start();
        cluster = ForkedCluster.start(dir, NODES, redis.port());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        try {
            if (cluster != null) {
                if (!redis.running()) {
                    redis.restart();
                }
                cluster.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @BeforeEach
    void everythingRuns() throws Exception {
        if (!redis.running()) {
            redis.restart();
        }
        for (int n = 1; n <= NODES; n++) {
            cluster.ensureRunning(n);
        }
    }

    @Test
    void killMinusNineOfANodeUnderLoadLosesNoAcknowledgedMessage() throws Exception {
        ClusterLoad load = new ClusterLoad(cluster, "k", PEERS_PER_NODE, RATE);
        List<Double> offline = new ArrayList<>();
        try {
            load.start();
            for (int k = 0; k < KILLS; k++) {
                int victim = k % 2 == 0 ? 2 : 1;
                Thread.sleep(4000);
                long killedAt = System.nanoTime();
                cluster.kill(victim);
                offline.add(load.awaitLoggedInAgain(victim, killedAt, Duration.ofSeconds(60)));
                cluster.start(victim);
                load.goHome(victim);
            }
            Thread.sleep(3000);
        } finally {
            load.stop();
        }
        load.drain();
        ClusterLoad.Figures f = load.figures();
        double worst = offline.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        System.out.printf(
                Locale.ROOT,
                "CLUSTER FAULT kill -9: %d kills of a node of %d under %d msg/s: %s; a dead node's clients"
                        + " could log in elsewhere after %.1f s on average, %.1f s at worst (node timeout %d s)%n",
                KILLS,
                NODES,
                RATE,
                f.line(),
                offline.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                worst,
                NODE_TIMEOUT.toSeconds());
        assertNothingLost(f);
        assertThat(worst)
                .as("seconds until a dead node's clients were offline")
                .isLessThanOrEqualTo(OFFLINE_WITHIN.toSeconds());
    }

    @Test
    void redisRestartUnderLoadLosesNoAcknowledgedMessage() throws Exception {
        ClusterLoad load = new ClusterLoad(cluster, "r", PEERS_PER_NODE, RATE);
        List<Double> whole = new ArrayList<>();
        try {
            load.start();
            try (ChatTestClient watch1 = ChatTestClient.login(cluster.port(1), "r-watch-1");
                    ChatTestClient watch2 = ChatTestClient.login(cluster.port(2), "r-watch-2")) {
                Set<String> everyone = new HashSet<>(load.ids());
                everyone.addAll(List.of("r-watch-1", "r-watch-2"));
                for (int outage = 0; outage < 2; outage++) {
                    Thread.sleep(4000);
                    redis.stop();
                    Thread.sleep(REDIS_OUTAGE.toMillis());
                    redis.restart();
                    whole.add(secondsUntilWhoIsWhole(List.of(watch1, watch2), everyone));
                }
            }
            Thread.sleep(3000);
        } finally {
            load.stop();
        }
        load.drain();
        ClusterLoad.Figures f = load.figures();
        System.out.printf(
                Locale.ROOT,
                "CLUSTER FAULT Redis restart: 2 outages of %d s (Redis back empty) under %d msg/s: %s; WHO whole"
                        + " again on both nodes %.1f s and %.1f s after Redis returned%n",
                REDIS_OUTAGE.toSeconds(),
                RATE,
                f.line(),
                whole.get(0),
                whole.get(1));
        assertNothingLost(f);
    }

    @Test
    void whileRedisIsDownEachNodeChatsAndCrossNodeMessagesArriveWhenItReturns() throws Exception {
        try (ChatTestClient a1 = ChatTestClient.login(cluster.port(1), "o-a1");
                ChatTestClient b1 = ChatTestClient.login(cluster.port(1), "o-b1");
                ChatTestClient c2 = ChatTestClient.login(cluster.port(2), "o-c2");
                ChatTestClient d2 = ChatTestClient.login(cluster.port(2), "o-d2")) {
            long stoppedAt = System.nanoTime();
            redis.stop();

            a1.send("MSG o-b1 same node while Redis is down");
            assertThat(a1.reply()).matches("200 MSG \\d+");
            assertThat(b1.eventMatching(e -> e.startsWith("MSG ")))
                    .isEqualTo("MSG o-a1 o-b1 same node while Redis is down");
            d2.send("MSG o-c2 also on node 2");
            assertThat(d2.reply()).matches("200 MSG \\d+");
            assertThat(c2.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG o-d2 o-c2 also on node 2");

            a1.send("MSG o-c2 across while Redis is down");
            assertThat(a1.reply()).matches("20[02] MSG \\d+");
            c2.send("MSG o-a1 and back while Redis is down");
            assertThat(c2.reply()).matches("20[02] MSG \\d+");

            TimeUnit.NANOSECONDS.sleep(Math.max(0, stoppedAt + REDIS_OUTAGE.toNanos() - System.nanoTime()));
            redis.restart();
            long back = System.nanoTime();
            awaitMessage(c2, "MSG o-a1 o-c2 across while Redis is down", back);
            awaitMessage(a1, "MSG o-c2 o-a1 and back while Redis is down", back);
            double delivered = (System.nanoTime() - back) / 1e9;
            double whole = secondsUntilWhoIsWhole(List.of(a1, c2), Set.of("o-a1", "o-b1", "o-c2", "o-d2"));
            System.out.printf(
                    Locale.ROOT,
                    "CLUSTER FAULT Redis outage of %d s: cross-node messages sent meanwhile delivered %.1f s after"
                            + " Redis returned; WHO whole after %.1f s%n",
                    REDIS_OUTAGE.toSeconds(),
                    delivered,
                    whole);

            a1.send("MSG o-c2 after Redis returned");
            assertThat(a1.reply()).matches("200 MSG \\d+");
            assertThat(c2.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG o-a1 o-c2 after Redis returned");
        }
    }

    @Test
    void postgresqlConnectionsCutUnderLoadLoseNoAcknowledgedMessage() throws Exception {
        ClusterLoad load = new ClusterLoad(cluster, "p", PEERS_PER_NODE, RATE);
        int cuts = 3;
        int terminated = 0;
        try {
            load.start();
            for (int i = 0; i < cuts; i++) {
                Thread.sleep(3000);
                terminated += cluster.terminateDatabaseConnections();
            }
            Thread.sleep(4000);
        } finally {
            load.stop();
        }
        load.drain();
        ClusterLoad.Figures f = load.figures();
        System.out.printf(
                Locale.ROOT,
                "CLUSTER FAULT PostgreSQL connections cut: %d times (%d backends) under %d msg/s: %s%n",
                cuts,
                terminated,
                RATE,
                f.line());
        assertThat(terminated).as("the nodes had connections to cut").isPositive();
        assertThat(cluster.running(1) && cluster.running(2))
                .as("both nodes survive")
                .isTrue();
        assertNothingLost(f);
    }

    private static void assertNothingLost(ClusterLoad.Figures f) {
        assertThat(f.acked()).as("messages acknowledged").isPositive();
        assertThat(f.unexpected())
                .as("replies other than 200, 202, 409, 429 or 503 (%d in all; the first 20)", f.unexpectedCount())
                .isEmpty();
        assertThat(f.lost())
                .as("acknowledged but never delivered, e.g. %s", f.lostSamples())
                .isZero();
    }

    /** Polls WHO on each client's node until every one lists at least {@code everyone}: the seconds it took. */
    private static double secondsUntilWhoIsWhole(List<ChatTestClient> watchers, Set<String> everyone) throws Exception {
        long from = System.nanoTime();
        long deadline = from + AFTER_REDIS_RETURNS.toNanos();
        for (int i = 0; i < watchers.size(); i++) {
            Set<String> listed;
            while (!(listed = who(watchers.get(i))).containsAll(everyone)) {
                assertThat(System.nanoTime())
                        .as(
                                "WHO of watcher %d lists everyone again within %d s after Redis returned: %s, missing %s",
                                i + 1, AFTER_REDIS_RETURNS.toSeconds(), listed, missing(everyone, listed))
                        .isLessThan(deadline);
                Thread.sleep(250);
            }
        }
        return (System.nanoTime() - from) / 1e9;
    }

    private static Set<String> missing(Set<String> everyone, Set<String> listed) {
        Set<String> m = new HashSet<>(everyone);
        m.removeAll(listed);
        return m;
    }

    private static Set<String> who(ChatTestClient c) throws Exception {
        c.send("WHO");
        List<String> lines = c.multiLineReply();
        return new HashSet<>(lines.subList(0, lines.size() - 1).stream()
                .map(l -> l.substring(4))
                .toList());
    }

    /** Waits up to {@link #AFTER_REDIS_RETURNS} after {@code since} for a MSG event equal to {@code wanted}. */
    private static void awaitMessage(ChatTestClient c, String wanted, long since) {
        long deadline = since + AFTER_REDIS_RETURNS.toNanos();
        while (System.nanoTime() < deadline) {
            if (c.eventsWithin(100).contains(wanted)) {
                return;
            }
        }
        throw new AssertionError("not delivered within " + AFTER_REDIS_RETURNS.toSeconds() + " s after Redis returned: "
                + wanted + "; last lines: " + c.allLines());
    }
}
