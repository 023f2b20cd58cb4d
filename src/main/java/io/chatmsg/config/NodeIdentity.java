package io.chatmsg.config;

/**
 * Which node this process is: its id ({@link ClusterProperties#nodeId(int)}) and
 * whether it is one of a cluster. Sessions carry the id; a single node is a
 * cluster of one for the dashboard and {@code GET /api/cluster}.
 */
public record NodeIdentity(String id, boolean clustered) {}
