package io.chatmsg.cluster;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.AdminApi;
import io.chatmsg.support.ChatTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the cluster tests read from clients and from the REST API's JSON, in one place. */
final class ClusterViews {

    private ClusterViews() {}

    /** The next MSG event, skipping presence. */
    static String nextMessage(ChatTestClient c) {
        return c.eventMatching(e -> e.startsWith("MSG "));
    }

    static List<String> who(ChatTestClient c) throws Exception {
        c.send("WHO");
        List<String> lines = c.multiLineReply();
        assertThat(lines).last().asString().isEqualTo("200 WHO " + (lines.size() - 1));
        return lines.subList(0, lines.size() - 1).stream()
                .map(l -> l.substring(4))
                .toList();
    }

    static JsonNode row(JsonNode rows, String clientId) {
        for (JsonNode r : rows) {
            if (clientId.equals(r.path("clientId").asString(null))) {
                return r;
            }
        }
        return null;
    }

    static String nodeOf(JsonNode rows, String clientId) {
        JsonNode r = row(rows, clientId);
        return r == null ? null : r.path("node").asString(null);
    }

    static long sessionOf(JsonNode rows, String clientId) {
        JsonNode r = row(rows, clientId);
        return r == null ? -1 : r.get("sessionId").asLong();
    }

    static JsonNode entry(JsonNode nodes, String nodeId) {
        for (JsonNode e : nodes) {
            if (nodeId.equals(e.get("nodeId").asString())) {
                return e;
            }
        }
        return null;
    }

    /**
     * Waits (up to {@code maxNanos} after {@code since}, a System.nanoTime) until {@code c} has had
     * all of {@code wanted}: the seconds from {@code since} until the last one came.
     */
    static double awaitEvents(ChatTestClient c, long maxNanos, Set<String> wanted, long since) {
        Set<String> left = new HashSet<>(wanted);
        long deadline = since + maxNanos;
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            c.eventsWithin(50).forEach(left::remove);
        }
        assertThat(left).as("events never seen").isEmpty();
        return (System.nanoTime() - since) / (double) TimeUnit.SECONDS.toNanos(1);
    }

    /** The session id of {@code clientId}'s live session, once {@code api}'s node lists it (within 5 s). */
    static long awaitSession(AdminApi api, String clientId) {
        return await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> sessionOf(api.get("/api/clients"), clientId), s -> s > 0);
    }
}
