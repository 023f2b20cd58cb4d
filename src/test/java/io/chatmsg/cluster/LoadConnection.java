package io.chatmsg.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection of the load generator to one node: replies are queued for the sender,
 * events handed to a callback as they come. Unlike the tests' ChatTestClient it never fails
 * a test by itself: a dropped connection is a normal event under fault injection, seen as
 * a null reply.
 */
final class LoadConnection implements AutoCloseable {

    private static final String CLOSED = "\u0000closed";

    final int node;
    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    LoadConnection(int node, int port, Consumer<String> events) throws IOException {
        this.node = node;
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        this.out = socket.getOutputStream();
        Thread t = new Thread(() -> read(events), "load-reader-node-" + node);
        t.setDaemon(true);
        t.start();
    }

    private void read(Consumer<String> events) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
                    replies.add(line);
                } else if (line.startsWith("PING ")) {
                    send("PONG " + line.substring(5));
                } else {
                    events.accept(line);
                }
            }
        } catch (IOException e) {
            // dropped: the node died or closed it
        } finally {
            closed = true;
            replies.add(CLOSED);
        }
    }

    synchronized void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next reply, or null when none came within {@code millis} or the connection is gone. */
    String reply(long millis) throws InterruptedException {
        String r = replies.poll(millis, TimeUnit.MILLISECONDS);
        if (r == CLOSED) {
            replies.add(CLOSED);
            return null;
        }
        return r;
    }

    boolean closed() {
        return closed;
    }

    /** Waits up to {@code millis} for the server to close the connection. */
    boolean awaitClosed(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!closed && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return closed;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
