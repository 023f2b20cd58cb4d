package io.chatmsg.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.chatmsg.session.LatencyProperties;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionsElsewhere;

/**
 * The other nodes' sessions, as each published them at its last heartbeat
 * ({@link NodeRegistry}): what the dashboard lists, sorts, selects and kicks.
 * Replaced whole at each heartbeat; readers get a consistent snapshot.
 */
final class RemoteSessions implements SessionsElsewhere {

    /** One session as published: compact, a line of JSON each. */
    record Copy(
            long id,
            String address,
            String transport,
            String connectedAt,
            String clientId,
            long[] counters,
            long rttMillis) {

        static Copy of(LiveSession s) {
            Long rtt = s.rttMillis();
            return new Copy(
                    s.id(),
                    s.remoteAddress(),
                    s.transport(),
                    s.connectedAt().toString(),
                    s.clientId(),
                    s.counters(),
                    rtt == null ? -1 : rtt);
        }

        LiveSession live(String node, LatencyProperties thresholds) {
            return LiveSession.elsewhere(
                    node,
                    id,
                    address,
                    transport,
                    Instant.parse(connectedAt),
                    clientId,
                    counters,
                    rttMillis,
                    thresholds);
        }
    }

    private record Snapshot(List<LiveSession> all, Map<Long, LiveSession> byId) {}

    private volatile Snapshot current = new Snapshot(List.of(), Map.of());

    /** The sessions of every other live node: node id to its published copies. */
    void replace(Map<String, List<Copy>> byNode, LatencyProperties thresholds) {
        List<LiveSession> all = new ArrayList<>();
        Map<Long, LiveSession> byId = new HashMap<>();
        byNode.forEach((node, copies) -> {
            for (Copy c : copies) {
                LiveSession s = c.live(node, thresholds);
                all.add(s);
                byId.put(s.id(), s);
            }
        });
        current = new Snapshot(List.copyOf(all), byId);
    }

    @Override
    public Collection<LiveSession> sessions() {
        return current.all();
    }

    @Override
    public LiveSession session(long id) {
        return current.byId().get(id);
    }
}
