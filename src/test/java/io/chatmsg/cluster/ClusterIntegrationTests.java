package io.chatmsg.cluster;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.ClusterServices;
import io.chatmsg.support.ForkedCluster;
import io.chatmsg.support.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static io.chatmsg.cluster.ClusterViews.awaitEvents;
import static io.chatmsg.cluster.ClusterViews.awaitSession;
import static io.chatmsg.cluster.ClusterViews.entry;
import static io.chatmsg.cluster.ClusterViews.nextMessage;
import static io.chatmsg.cluster.ClusterViews.nodeOf;
import static io.chatmsg.cluster.ClusterViews.sessionOf;
import static io.chatmsg.cluster.ClusterViews.who;
import static io.chatmsg.support.ForkedCluster.NODE_TIMEOUT;
import static io.chatmsg.support.ForkedCluster.nodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/cluster.md: three gateway nodes on one PostgreSQL database and one Redis behave, to
 * clients on any of them, as one gateway: messages, presence, WHO, the 409 of an id online
 * elsewhere, the offline queue, HISTORY, and the REST API's view and actions across nodes; a
 * node killed with -9 loses its clients cluster-wide within the node timeout, and a node
 * stopped with SIGTERM says goodbye to its own. The nodes are shared by the class (each JVM
 * takes seconds to start); each test uses ids of its own, and a node a test stopped is started
 * again before the next one.
 */
@ExtendWith(ClusterServices.class)
class ClusterIntegrationTests {

    private static final int NODES = 3;
    /** What the contract promises for a dead node: its clients offline within the node timeout and a few seconds. */
    private static final Duration OFFLINE_WITHIN = NODE_TIMEOUT.plusSeconds(4);
    /** How long the REST API's view of another node's sessions may lag. */
    private static final Duration REST_LAG = Duration.ofSeconds(5);

    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path dir;

    static ForkedCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ForkedCluster.start(dir, NODES, TestRedis.PORT);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void everyNodeRuns() throws Exception {
        for (int n = 1; n <= NODES; n++) {
            cluster.ensureRunning(n);
        }
    }

    @Test
    void directMessagesCrossNodesBothWays() throws Exception {
        String a = id("alice");
        String b = id("bob");
        try (ChatTestClient alice = login(1, a);
                ChatTestClient bob = login(2, b)) {
            alice.send("MSG " + b + " hi from node 1");
            assertThat(alice.reply()).matches("200 MSG \\d+");
            assertThat(nextMessage(bob)).isEqualTo("MSG " + a + " " + b + " hi from node 1");

            bob.send("MSG " + a + " and back from node 2");
            assertThat(bob.reply()).matches("200 MSG \\d+");
            assertThat(nextMessage(alice)).isEqualTo("MSG " + b + " " + a + " and back from node 2");
        }
    }

    @Test
    void whoOnEveryNodeListsTheClientsOfAllNodes() throws Exception {
        String a = id("who-a");
        String b = id("who-b");
        String c = id("who-c");
        try (ChatTestClient alice = login(1, a);
                ChatTestClient bob = login(2, b);
                ChatTestClient carol = login(3, c)) {
            for (ChatTestClient client : List.of(alice, bob, carol)) {
                List<String> ids = who(client);
                assertThat(ids).contains(a, b, c);
                assertThat(ids).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
            }
        }
    }

    @Test
    void loginOfAnIdOnlineOnAnotherNodeIs409() throws Exception {
        String a = id("dup");
        try (ChatTestClient first = login(1, a);
                ChatTestClient second = ChatTestClient.connect(cluster.port(2));
                ChatTestClient third = ChatTestClient.connect(cluster.port(3))) {
            second.send("LOGIN " + a);
            assertThat(second.reply()).startsWith("409");
            third.send("LOGIN " + a.toUpperCase());
            assertThat(third.reply()).startsWith("409");

            first.send("QUIT");
            assertThat(first.reply()).isEqualTo("200 BYE");
            // Once it has left, the id is free on every node.
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        second.send("LOGIN " + a);
                        String r = second.reply();
                        assertThat(r).matches("200 LOGIN .*|409.*");
                        return r.startsWith("200");
                    });
        }
    }

    @Test
    void joinAndLeaveReachTheOtherNodes() throws Exception {
        String a = id("watcher");
        String c = id("watcher");
        String b = id("comer");
        try (ChatTestClient alice = login(1, a);
                ChatTestClient carol = login(3, c)) {
            try (ChatTestClient bob = login(2, b)) {
                assertThat(alice.eventMatching(e -> e.equals("JOIN " + b))).isNotNull();
                assertThat(carol.eventMatching(e -> e.equals("JOIN " + b))).isNotNull();
                bob.send("QUIT");
                assertThat(bob.reply()).isEqualTo("200 BYE");
            }
            assertThat(alice.eventMatching(e -> e.equals("LEAVE " + b))).isNotNull();
            assertThat(carol.eventMatching(e -> e.equals("LEAVE " + b))).isNotNull();
        }
    }

    @Test
    void broadcastReachesEveryNodeAndCountsTheClientsOfAll() throws Exception {
        String a = id("caster");
        String b = id("hearer");
        String c = id("hearer");
        try (ChatTestClient alice = login(1, a);
                ChatTestClient bob = login(2, b);
                ChatTestClient carol = login(3, c)) {
            // Clients of earlier tests may still be leaving: wait until these three are all there is.
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> new HashSet<>(who(alice)).equals(Set.of(a, b, c)));
            alice.send("MSG ALL hello every node");
            assertThat(alice.reply()).matches("200 MSG \\d+ 2");
            assertThat(nextMessage(bob)).isEqualTo("MSG " + a + " ALL hello every node");
            assertThat(nextMessage(carol)).isEqualTo("MSG " + a + " ALL hello every node");
            assertThat(alice.eventsWithin(300)).noneMatch(e -> e.startsWith("MSG "));
        }
    }

    @Test
    void messagesToAnOfflineIdAreQueuedAndDeliveredAtItsLoginOnAnyNode() throws Exception {
        String a = id("q-from");
        String b = id("q-from");
        String c = id("q-to");
        try (ChatTestClient alice = login(1, a);
                ChatTestClient bob = login(2, b)) {
            try (ChatTestClient carol = login(3, c)) {
                alice.eventMatching(e -> e.equals("JOIN " + c));
                bob.eventMatching(e -> e.equals("JOIN " + c));
                carol.send("QUIT");
                assertThat(carol.reply()).isEqualTo("200 BYE");
            }
            alice.eventMatching(e -> e.equals("LEAVE " + c));
            bob.eventMatching(e -> e.equals("LEAVE " + c));

            alice.send("MSG " + c + " first, from node 1");
            assertThat(alice.reply()).matches("202 MSG \\d+");
            bob.send("MSG " + c + " second, from node 2");
            assertThat(bob.reply()).matches("202 MSG \\d+");

            try (ChatTestClient carol = login(2, c)) {
                assertThat(nextMessage(carol)).isEqualTo("MSG " + a + " " + c + " first, from node 1");
                assertThat(nextMessage(carol)).isEqualTo("MSG " + b + " " + c + " second, from node 2");
                assertThat(carol.eventsWithin(500)).noneMatch(e -> e.startsWith("MSG "));
            }
        }
    }

    @Test
    void historyIsTheSameFromEveryNode() throws Exception {
        String a = id("hist");
        String b = id("hist");
        try (ChatTestClient alice = login(1, a);
                ChatTestClient bob = login(2, b)) {
            alice.send("MSG " + b + " first line");
            assertThat(alice.reply()).startsWith("200 MSG ");
            bob.send("MSG " + a + " second line");
            assertThat(bob.reply()).startsWith("200 MSG ");

            alice.send("HISTORY " + b);
            List<String> seenByAlice = alice.multiLineReply();
            assertThat(seenByAlice).hasSize(3).last().isEqualTo("200 HISTORY 2");
            assertThat(seenByAlice.get(0)).matches("200-\\d+ \\S+Z " + a + " " + b + " first line");
            assertThat(seenByAlice.get(1)).matches("200-\\d+ \\S+Z " + b + " " + a + " second line");

            bob.send("HISTORY " + a);
            assertThat(bob.multiLineReply()).isEqualTo(seenByAlice);
        }
    }

    @Test
    void restClientsOnAnyNodeListsTheSessionsOfEveryNode() throws Exception {
        String a = id("rest");
        String b = id("rest");
        String c = id("rest");
        try (ChatTestClient alice = login(1, a);
                ChatTestClient bob = login(2, b);
                ChatTestClient carol = login(3, c)) {
            List<Long> seen = new ArrayList<>();
            for (int n = 1; n <= NODES; n++) {
                int node = n;
                await().atMost(REST_LAG).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    JsonNode rows = cluster.api(node).get("/api/clients");
                    assertThat(nodeOf(rows, a)).as("on %s", nodeId(node)).isEqualTo(nodeId(1));
                    assertThat(nodeOf(rows, b)).as("on %s", nodeId(node)).isEqualTo(nodeId(2));
                    assertThat(nodeOf(rows, c)).as("on %s", nodeId(node)).isEqualTo(nodeId(3));
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.get("sessionId").asLong()));
                    assertThat(ids).as("session ids are unique across nodes").doesNotHaveDuplicates();
                });
                JsonNode rows = cluster.api(node).get("/api/clients");
                seen.add(sessionOf(rows, b));
            }
            assertThat(seen).as("every node knows bob's session by the same id").containsOnly(seen.get(0));
        }
    }

    @Test
    void restKickOnOneNodeClosesASessionOnAnother() throws Exception {
        String a = id("kick-watch");
        String b = id("kicked");
        try (ChatTestClient alice = login(1, a);
                ChatTestClient bob = login(2, b)) {
            long session = awaitSession(cluster.api(1), b);
            HttpResponse<String> r =
                    cluster.api(1).post("/api/clients/" + session + "/kick", "{\"reason\":\"testing\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
            assertThat(bob.awaitClosed(1)).as("closed within 1 s").isTrue();
            assertThat(bob.allLines()).last().isEqualTo("KICKED testing");
            assertThat(alice.eventMatching(e -> e.equals("LEAVE " + b))).isNotNull();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> cluster.endReason(session), "kicked by admin: testing"::equals);
        }
    }

    @Test
    void restBanOnOneNodeClosesTheSessionOnAnotherAndEveryNodeRefusesTheId() throws Exception {
        String b = id("troll");
        try (ChatTestClient bob = login(2, b)) {
            HttpResponse<String> r = cluster.api(1).post("/api/users/" + b + "/ban", "{\"reason\":\"spam\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(bob.awaitClosed(1)).as("closed within 1 s").isTrue();
            assertThat(bob.allLines()).last().isEqualTo("KICKED banned: spam");
        }
        for (int n = 1; n <= NODES; n++) {
            try (ChatTestClient again = ChatTestClient.connect(cluster.port(n))) {
                again.send("LOGIN " + b);
                assertThat(again.reply()).as("on %s", nodeId(n)).isEqualTo("403 banned: spam");
            }
        }
    }

    @Test
    void restClusterListsEveryLiveNode() throws Exception {
        String b = id("counted");
        try (ChatTestClient bob = login(2, b)) {
            for (int n = 1; n <= NODES; n++) {
                int node = n;
                await().atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> {
                            JsonNode nodes =
                                    cluster.api(node).get("/api/cluster").get("nodes");
                            Set<String> ids = new HashSet<>();
                            for (JsonNode e : nodes) {
                                ids.add(e.get("nodeId").asString());
                                assertThat(e.get("address").asString()).isNotBlank();
                                Instant started =
                                        Instant.parse(e.get("startedAt").asString());
                                Instant beat =
                                        Instant.parse(e.get("lastHeartbeat").asString());
                                assertThat(beat).isAfterOrEqualTo(started);
                                assertThat(Duration.between(beat, Instant.now()))
                                        .isLessThan(NODE_TIMEOUT);
                                assertThat(e.get("connections").asInt())
                                        .isGreaterThanOrEqualTo(
                                                e.get("loggedIn").asInt());
                            }
                            assertThat(ids).containsExactlyInAnyOrder(nodeId(1), nodeId(2), nodeId(3));
                            JsonNode second = entry(nodes, nodeId(2));
                            assertThat(second.get("loggedIn").asInt())
                                    .as("bob on node-2")
                                    .isPositive();
                        });
            }
        }
    }

    @Test
    void killedNodesClientsGoOfflineClusterWideAndTheirSessionsEndAsNodeLost() throws Exception {
        String a = id("survivor");
        String b = id("survivor");
        String c = id("lost");
        String d = id("lost");
        long carolsSession;
        try (ChatTestClient alice = login(1, a);
                ChatTestClient bob = login(2, b);
                ChatTestClient carol = login(3, c);
                ChatTestClient dave = login(3, d)) {
            assertThat(who(alice)).contains(c, d);
            carolsSession = awaitSession(cluster.api(1), c);

            long killedAt = System.nanoTime();
            cluster.kill(3);
            double aliceSawLeaves =
                    awaitEvents(alice, 3 * OFFLINE_WITHIN.toNanos(), Set.of("LEAVE " + c, "LEAVE " + d), killedAt);
            double bobSawLeaves =
                    awaitEvents(bob, 3 * OFFLINE_WITHIN.toNanos(), Set.of("LEAVE " + c, "LEAVE " + d), killedAt);
            System.out.printf(
                    "cluster: after kill -9 of a node its clients were gone within %.1f s on node-1, %.1f s on node-2"
                            + " (node timeout %d s)%n",
                    aliceSawLeaves, bobSawLeaves, NODE_TIMEOUT.toSeconds());
            assertThat(Math.max(aliceSawLeaves, bobSawLeaves)).isLessThanOrEqualTo(OFFLINE_WITHIN.toSeconds());
            assertThat(who(alice)).doesNotContain(c, d).contains(a, b);
            assertThat(who(bob)).doesNotContain(c, d).contains(a, b);

            alice.send("MSG " + c + " are you still there?");
            assertThat(alice.reply()).matches("202 MSG \\d+");
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> cluster.endReason(carolsSession), "node lost"::equals);
            assertThat(cluster.queryLong("SELECT COUNT(*) FROM sessions WHERE client_id IN ('" + c + "', '" + d
                            + "') AND (end_reason <> 'node lost' OR end_reason IS NULL OR disconnected_at IS NULL)"))
                    .as("every session of the dead node ended as node lost")
                    .isZero();
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        JsonNode nodes = cluster.api(1).get("/api/cluster").get("nodes");
                        assertThat(entry(nodes, nodeId(3)))
                                .as("node-3 is not listed")
                                .isNull();
                    });
        }

        cluster.start(3);
        try (ChatTestClient carol = login(3, c)) {
            assertThat(nextMessage(carol)).isEqualTo("MSG " + a + " " + c + " are you still there?");
        }
        assertThat(cluster.endReason(carolsSession))
                .as("the restarted node leaves what the survivors recorded")
                .isEqualTo("node lost");
    }

    @Test
    void terminatedNodeSaysByeToItsClientsAndTheOthersSeeThemLeave() throws Exception {
        String a = id("stays");
        String e = id("drained");
        try (ChatTestClient alice = login(1, a);
                ChatTestClient eve = login(3, e)) {
            alice.eventMatching(x -> x.equals("JOIN " + e));
            long session = awaitSession(cluster.api(1), e);
            assertThat(cluster.terminate(3)).isIn(0, 143);
            assertThat(eve.awaitClosed()).isTrue();
            assertThat(eve.allLines()).last().isEqualTo("BYE server shutting down");
            assertThat(alice.eventMatching(x -> x.equals("LEAVE " + e))).isNotNull();
            assertThat(who(alice)).doesNotContain(e);
            assertThat(cluster.endReason(session)).isEqualTo("server shutdown");
        }
    }

    private static String id(String name) {
        return name + "-" + IDS.incrementAndGet();
    }

    private static ChatTestClient login(int node, String id) throws Exception {
        return ChatTestClient.login(cluster.port(node), id);
    }
}
