package io.chatmsg.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.chatmsg.config.NodeIdentity;
import io.chatmsg.gateway.ChatGateway;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionRecorder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The nodes, for {@code GET /api/cluster} and the Cluster page: in cluster mode the
 * live nodes of the last heartbeat; a single node is a cluster of one, itself now.
 */
@Component
public class ClusterView {

    private final NodeIdentity identity;
    private final ObjectProvider<NodeRegistry> registry;
    private final SessionRecorder sessions;
    private final ObjectProvider<ChatGateway> gateway;
    private final Clock clock;
    private final Instant startedAt;

    ClusterView(
            NodeIdentity identity,
            ObjectProvider<NodeRegistry> registry,
            SessionRecorder sessions,
            ObjectProvider<ChatGateway> gateway,
            Clock clock) {
        this.identity = identity;
        this.registry = registry;
        this.sessions = sessions;
        this.gateway = gateway;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** This node's id. */
    public String nodeId() {
        return identity.id();
    }

    public boolean clustered() {
        return identity.clustered();
    }

    /** The nodes by id; never empty (this node is always one). */
    public List<NodeInfo> nodes() {
        NodeRegistry r = registry.getIfAvailable();
        if (r != null && !r.nodes().isEmpty()) {
            return r.nodes();
        }
        return List.of(self());
    }

    /** True while this node of a cluster cannot reach Redis (always false on a single node). */
    public boolean redisAway() {
        NodeRegistry r = registry.getIfAvailable();
        return r != null && r.redisAway();
    }

    private NodeInfo self() {
        int connections = 0;
        int loggedIn = 0;
        for (LiveSession s : sessions.live()) {
            connections++;
            if (s.clientId() != null) {
                loggedIn++;
            }
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            host = "127.0.0.1";
        }
        ChatGateway g = gateway.getIfAvailable();
        Instant now = clock.instant();
        return new NodeInfo(
                identity.id(),
                host + ":" + (g == null ? 0 : g.port()),
                startedAt.toString(),
                now.toString(),
                connections,
                loggedIn);
    }
}
