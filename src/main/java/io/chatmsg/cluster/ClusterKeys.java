package io.chatmsg.cluster;

/**
 * The names of everything a cluster keeps in Redis, all under {@code chat.cluster.key-prefix}
 * (docs/cluster.md lists them).
 */
record ClusterKeys(String prefix) {

    /** A node's liveness: its {@link NodeInfo}, expiring after {@code node-timeout}. */
    String node(String id) {
        return prefix + "node:" + id;
    }

    /** Every node that registered and was not yet found dead. */
    String nodes() {
        return prefix + "nodes";
    }

    /** Hash: folded id to {@link io.chatmsg.chat.Holder}. */
    String presence() {
        return prefix + "presence";
    }

    /** Stream: what other nodes hand one node (direct messages, FILE notices). */
    String inbox(String node) {
        return prefix + "inbox:" + node;
    }

    /** Stream every node reads: broadcasts and presence changes. */
    String all() {
        return prefix + "all";
    }

    /** Stream every node reads: operators' actions (kick, bans, accounts). */
    String control() {
        return prefix + "control";
    }

    /** A node's sessions with their counters, as published every heartbeat. */
    String sessions(String node) {
        return prefix + "sessions:" + node;
    }

    /** Held by the one node that cleans up after a dead one. */
    String sweepLock(String deadNode) {
        return prefix + "sweep:" + deadNode;
    }

    /** Left by that cleaning: a node that finds it on coming back drops its clients. */
    String swept(String node) {
        return prefix + "swept:" + node;
    }
}
