package io.chatmsg.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.ForkedCluster;

/**
 * A small, steady load on a cluster for the fault tests: {@code peersPerNode} clients at home on
 * each node, each sending direct messages to clients at home on the other nodes, together at
 * about {@code messagesPerSecond}, and recording every acknowledgement and every delivery. At
 * the end each client logs in once more to drain its queue, and {@link #figures} compares the
 * two: an acknowledged message that never arrived is lost; one that arrived twice is a duplicate.
 */
final class ClusterLoad {

    /**
     * What a run came to. {@code lostSamples} shows a few lost messages and {@code unexpected} the
     * first 20 unexpected replies, for a failure message that stays readable.
     */
    record Figures(
            long sent,
            long acked,
            long lost,
            long duplicated,
            long inDoubt,
            long inDoubtDelivered,
            long refused,
            List<String> lostSamples,
            long unexpectedCount,
            List<String> unexpected) {

        String line() {
            return String.format(
                    Locale.ROOT,
                    "%,d sent, %,d acknowledged, %d lost, %d duplicated, %d refused (503/429), %d unacknowledged"
                            + " (%d of them delivered)",
                    sent,
                    acked,
                    lost,
                    duplicated,
                    refused,
                    inDoubt,
                    inDoubtDelivered);
        }
    }

    private final ForkedCluster cluster;
    private final List<LoadPeer> peers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long intervalMillis;
    private volatile boolean running;

    ClusterLoad(ForkedCluster cluster, String tag, int peersPerNode, int messagesPerSecond) {
        this.cluster = cluster;
        for (int node = 1; node <= cluster.size(); node++) {
            for (int i = 1; i <= peersPerNode; i++) {
                peers.add(new LoadPeer(tag + "-n" + node + "-" + i, node, cluster.size(), cluster::portIfListening));
            }
        }
        this.intervalMillis = Math.max(1, 1000L * peers.size() / messagesPerSecond);
    }

    List<String> ids() {
        return peers.stream().map(p -> p.id).toList();
    }

    /** Starts every client and returns once each has logged in. */
    void start() throws InterruptedException {
        running = true;
        java.util.concurrent.CountDownLatch everyoneIn = new java.util.concurrent.CountDownLatch(peers.size());
        for (LoadPeer p : peers) {
            List<LoadPeer> targets =
                    peers.stream().filter(t -> t.home != p.home).toList();
            Thread t = new Thread(() -> p.run(targets, intervalMillis, () -> running, everyoneIn), "load-" + p.id);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        awaitAll(Duration.ofSeconds(60), "log in", p -> p.node() != 0);
    }

    /**
     * Waits until every client at home on {@code node} has logged in again (on a surviving node)
     * after {@code sinceNanos}: the seconds from then until the last one did.
     */
    double awaitLoggedInAgain(int node, long sinceNanos, Duration max) throws InterruptedException {
        List<LoadPeer> homed = peers.stream().filter(p -> p.home == node).toList();
        awaitAll(max, "log in again after their node died", p -> p.home != node || p.loggedInAt > sinceNanos);
        long last = homed.stream().mapToLong(p -> p.loggedInAt).max().orElseThrow();
        return (last - sinceNanos) / (double) TimeUnit.SECONDS.toNanos(1);
    }

    /** Sends the clients at home on {@code node} back to it (it was restarted) and waits until they are there. */
    void goHome(int node) throws InterruptedException {
        peers.stream().filter(p -> p.home == node).forEach(p -> p.goHome = true);
        awaitAll(Duration.ofSeconds(60), "return to their node", p -> p.home != node || p.node() == node);
    }

    /** Stops sending; every client's last message has its reply (or was given up on). */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    /** Every client logs in once more and stays until its queue is empty. */
    void drain() throws InterruptedException {
        List<Thread> drains = new ArrayList<>();
        for (LoadPeer p : peers) {
            Thread t = new Thread(
                    () -> {
                        try {
                            p.drain(2000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "drain-" + p.id);
            drains.add(t);
            t.start();
        }
        for (Thread t : drains) {
            t.join(TimeUnit.MINUTES.toMillis(3));
        }
    }

    Figures figures() {
        Map<String, LoadPeer> byId = new HashMap<>();
        peers.forEach(p -> byId.put(p.id, p));
        long sent = 0;
        long acked = 0;
        long lost = 0;
        long duplicated = 0;
        long inDoubt = 0;
        long inDoubtDelivered = 0;
        long refused = 0;
        List<String> lostSamples = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        Map<String, Integer> everything = new HashMap<>();
        for (LoadPeer p : peers) {
            everything.putAll(p.received);
        }
        for (LoadPeer p : peers) {
            sent += p.sent;
            refused += p.refused;
            unexpected.addAll(p.unexpected);
            synchronized (p.acked) {
                for (LoadPeer.Acked a : p.acked) {
                    acked++;
                    if (!byId.get(a.to()).received.containsKey(a.text())) {
                        lost++;
                        if (lostSamples.size() < 10) {
                            lostSamples.add(a.reply() + " to " + a.to() + ": " + a.text());
                        }
                    }
                }
            }
            synchronized (p.inDoubt) {
                inDoubt += p.inDoubt.size();
                inDoubtDelivered +=
                        p.inDoubt.stream().filter(everything::containsKey).count();
            }
            duplicated += p.received.values().stream().mapToLong(n -> n - 1).sum();
        }
        return new Figures(
                sent,
                acked,
                lost,
                duplicated,
                inDoubt,
                inDoubtDelivered,
                refused,
                lostSamples,
                unexpected.size(),
                unexpected.subList(0, Math.min(unexpected.size(), 20)));
    }

    private void awaitAll(Duration max, String what, java.util.function.Predicate<LoadPeer> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!peers.stream().allMatch(done)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("clients did not " + what + " within " + max.toSeconds() + " s: "
                        + peers.stream().filter(done.negate()).map(p -> p.id).toList()
                        + "; unexpected replies: " + figures().unexpected());
            }
            Thread.sleep(100);
        }
    }
}
