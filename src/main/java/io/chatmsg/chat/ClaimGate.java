package io.chatmsg.chat;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Cluster mode: keeps one client from getting a message twice, once handed over by
 * the node that accepted it and once in a claim of its offline queue (at LOGIN, or
 * when {@link ClusterEvents#redeliver} finds messages left waiting). A message
 * another node hands over is queued in the database until delivered, so both paths
 * can see it. While a claim is fetched, hand-overs wait here; once it is back, those
 * it already took are dropped and the rest delivered, in their order.
 *
 * <p>On the client's own thread only ({@link Connection#executor()}).
 */
final class ClaimGate {

    private Set<Long> lastClaimed = Set.of();
    private Set<Long> claimedBefore = Set.of();
    private ArrayDeque<Runnable> held;

    /** A claim of the client's queue is being fetched: hand-overs wait for it. */
    void claiming() {
        if (held == null) {
            held = new ArrayDeque<>();
        }
    }

    boolean busy() {
        return held != null;
    }

    /** The claim took {@code ids}; what waited goes out now (each checks {@link #took}). */
    void claimed(Collection<Long> ids) {
        claimedBefore = lastClaimed;
        lastClaimed = new HashSet<>(ids);
        ArrayDeque<Runnable> waiting = held;
        held = null;
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
    }

    /** Runs a hand-over now, or after the claim being fetched. */
    void deliver(Runnable handOver) {
        if (held != null) {
            held.add(handOver);
        } else {
            handOver.run();
        }
    }

    /** Whether one of the last two claims took message {@code id} (then a hand-over of it is a duplicate). */
    boolean took(long id) {
        return lastClaimed.contains(id) || claimedBefore.contains(id);
    }
}
