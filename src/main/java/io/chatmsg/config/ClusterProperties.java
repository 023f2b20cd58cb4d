package io.chatmsg.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code chat.cluster.*}: one node of several on one PostgreSQL database and one
 * Redis (docs/cluster.md). Bound on every node, so that a single node too has a
 * name for {@code GET /api/cluster} and the {@code node} of its sessions.
 *
 * @param enabled     run as one node of a cluster (needs PostgreSQL and Redis)
 * @param nodeId      unique per node; empty: the host name and {@code chat.port}
 *                    (with {@code chat.port=0}, the host name and the process id)
 * @param keyPrefix   prefix of every Redis key and stream, so several clusters share one Redis
 * @param heartbeat   how often a node renews its liveness and publishes its sessions
 * @param nodeTimeout a node silent this long is dead: its clients are offline everywhere
 */
@Validated
@ConfigurationProperties("chat.cluster")
public record ClusterProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("") @Pattern(regexp = "[A-Za-z0-9._:-]{0,64}", message = "letters, digits and . _ : - only")
                String nodeId,
        @DefaultValue("chatmsg:") @NotNull String keyPrefix,
        @DefaultValue("3s") @NotNull Duration heartbeat,
        @DefaultValue("10s") @NotNull Duration nodeTimeout) {

    /** This node's id: {@link #nodeId} when set, else the host name and {@code chatPort}. */
    public String nodeId(int chatPort) {
        if (!nodeId.isEmpty()) {
            return nodeId;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + (chatPort == 0 ? "pid" + ProcessHandle.current().pid() : chatPort);
    }
}
