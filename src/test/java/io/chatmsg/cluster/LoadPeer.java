package io.chatmsg.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * One client id of the load generator, at home on one node: it sends direct messages, one at a
 * time at its pace, to ids at home on other nodes, and writes down each one acknowledged
 * ({@code 200}/{@code 202}) and every message it receives. When its connection drops it logs in
 * again, on its home node if that listens, else on another, retrying while the id is still
 * online elsewhere ({@code 409}: the cluster has not yet noticed its node died).
 */
final class LoadPeer {

    /** Longer than any pause the faults cause, so that a slow reply is not mistaken for a lost one. */
    private static final long REPLY_MILLIS = 20_000;

    /** A message the gateway acknowledged. */
    record Acked(String to, String text, String reply) {}

    final String id;
    final int home;
    /** Texts received, with how many times each came. */
    final Map<String, Integer> received = new ConcurrentHashMap<>();

    final List<Acked> acked = Collections.synchronizedList(new ArrayList<>());
    /** Sent, but the connection dropped or the reply never came: the outcome is unknown. */
    final List<String> inDoubt = Collections.synchronizedList(new ArrayList<>());
    /** Replies that are neither an acknowledgement nor a documented refusal under load. */
    final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

    volatile long sent;
    volatile long refused;
    /** System.nanoTime of the last successful LOGIN. */
    volatile long loggedInAt;

    volatile boolean goHome;

    private final IntUnaryOperator portOf;
    private final int nodes;
    private final Random random;
    private volatile LoadConnection conn;

    LoadPeer(String id, int home, int nodes, IntUnaryOperator portOf) {
        this.id = id;
        this.home = home;
        this.nodes = nodes;
        this.portOf = portOf;
        this.random = new Random(id.hashCode());
    }

    /** The node this peer is logged in on now, or 0. */
    int node() {
        LoadConnection c = conn;
        return c == null || c.closed() ? 0 : c.node;
    }

    /** Sends to one of {@code targets} every {@code intervalMillis} until {@code running} says stop. */
    void run(
            List<LoadPeer> targets,
            long intervalMillis,
            java.util.function.BooleanSupplier running,
            java.util.concurrent.CountDownLatch everyoneIn) {
        long seq = 0;
        boolean counted = false;
        long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextLong(intervalMillis + 1));
        try {
            while (running.getAsBoolean()) {
                if (goHome && node() != 0 && node() != home && portOf.applyAsInt(home) > 0) {
                    quit();
                    goHome = false;
                }
                if (node() == 0 && !login(running)) {
                    Thread.sleep(250);
                    continue;
                }
                // A MSG to an id that never logged in anywhere is 404, as on one node: the
                // first messages wait until every client has logged in once.
                if (!counted) {
                    counted = true;
                    everyoneIn.countDown();
                    everyoneIn.await();
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next = Math.max(next + TimeUnit.MILLISECONDS.toNanos(intervalMillis), System.nanoTime());
                LoadPeer to = targets.get(random.nextInt(targets.size()));
                String text = "L " + id + " " + seq++;
                send(to.id, text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(String to, String text) throws InterruptedException {
        sent++;
        try {
            conn.send("MSG " + to + " " + text);
        } catch (IOException e) {
            inDoubt.add(text);
            drop();
            return;
        }
        String reply = conn.reply(REPLY_MILLIS);
        if (reply == null) {
            inDoubt.add(text);
            drop();
        } else if (reply.matches("20[02] MSG \\d+")) {
            acked.add(new Acked(to, text, reply));
        } else if (reply.startsWith("503 ") || reply.startsWith("429 ")) {
            refused++;
        } else {
            unexpected.add(id + " MSG " + to + ": " + reply);
        }
    }

    /** Logs in on the home node if it listens, else on another: true once logged in. */
    boolean login(java.util.function.BooleanSupplier running) throws InterruptedException {
        for (int i = 0; i < nodes; i++) {
            int node = (home - 1 + i) % nodes + 1;
            int port = portOf.applyAsInt(node);
            if (port < 0) {
                continue;
            }
            LoadConnection c;
            try {
                c = new LoadConnection(node, port, this::event);
            } catch (IOException e) {
                continue;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (running.getAsBoolean() && System.nanoTime() < deadline) {
                String reply;
                try {
                    c.send("LOGIN " + id);
                    reply = c.reply(REPLY_MILLIS);
                } catch (IOException e) {
                    reply = null;
                }
                if (reply == null) {
                    break;
                }
                if (reply.equals("200 LOGIN " + id)) {
                    conn = c;
                    loggedInAt = System.nanoTime();
                    return true;
                }
                if (!reply.startsWith("409") && !reply.startsWith("503 ")) {
                    unexpected.add(id + " LOGIN on node-" + node + ": " + reply);
                    break;
                }
                Thread.sleep(250);
            }
            c.close();
        }
        return false;
    }

    /** QUIT, waiting for the server to close: everything on its way to this peer has arrived. */
    void quit() throws InterruptedException {
        LoadConnection c = conn;
        if (c == null) {
            return;
        }
        try {
            c.send("QUIT");
            c.reply(REPLY_MILLIS);
            c.awaitClosed(REPLY_MILLIS);
        } catch (IOException e) {
            // already gone
        }
        drop();
    }

    /**
     * Logs in once more and stays until no message has come for {@code quietMillis}, so that
     * whatever was queued for this id has been delivered; then leaves.
     */
    void drain(long quietMillis) throws InterruptedException {
        quit();
        if (!login(() -> true)) {
            unexpected.add(id + ": could not log in to drain its queue");
            return;
        }
        long last;
        do {
            last = total();
            Thread.sleep(quietMillis);
        } while (total() != last);
        quit();
    }

    private long total() {
        return received.values().stream().mapToLong(Integer::longValue).sum();
    }

    private void event(String line) {
        if (line.startsWith("MSG ")) {
            String[] parts = line.split(" ", 4);
            if (parts.length == 4) {
                received.merge(parts[3], 1, Integer::sum);
            }
        }
    }

    private void drop() {
        if (conn != null) {
            conn.close();
            conn = null;
        }
    }
}
