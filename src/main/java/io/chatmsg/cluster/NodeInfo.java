package io.chatmsg.cluster;

/**
 * One node as {@code GET /api/cluster} shows it, and as each node publishes itself
 * every heartbeat. Times are ISO-8601 instants.
 */
public record NodeInfo(
        String nodeId, String address, String startedAt, String lastHeartbeat, int connections, int loggedIn) {}
