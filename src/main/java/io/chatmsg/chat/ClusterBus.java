package io.chatmsg.chat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the chat core needs of the other nodes of a cluster (cluster mode; the
 * {@code io.chatmsg.cluster} package implements it on Redis). Events are flat
 * string maps, one stream entry each; every method returns at once and none
 * blocks the caller's thread.
 */
public interface ClusterBus {

    /** This node's id. */
    String nodeId();

    /**
     * Makes {@code value} the holder of id {@code key} unless another holds it: completes
     * with "" when it does (or already did), else with the holder's value.
     */
    CompletableFuture<String> claim(String key, String value);

    /** Every id held, folded id to holder ({@link Holder#format}), as Redis has it now. */
    CompletableFuture<Map<String, String>> holders();

    /** The holder of id {@code key} as Redis has it now, or null. */
    CompletableFuture<String> holder(String key);

    /** Gives up id {@code key} if {@code value} still holds it. */
    void release(String key, String value);

    /** One event to one node's inbox. */
    void toNode(String node, Map<String, String> event);

    /** One event every node reads (broadcasts, presence changes). */
    void toAll(Map<String, String> event);

    /** One operator's action every node reads (kick, bans, accounts). */
    void control(Map<String, String> event);
}
