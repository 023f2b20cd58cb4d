package io.chatmsg.support;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own on a free port, started as a child process so that a test
 * can take it away (kill -9, as a crash or a lost network would) and bring it back on the same
 * port. It keeps nothing on disk: a restarted one is empty, as after a real crash without
 * persistence.
 */
public final class PrivateRedis implements AutoCloseable {

    private final int port;
    private Process process;

    private PrivateRedis(int port) {
        this.port = port;
    }

    /** True when {@code redis-server} is on the PATH. */
    public static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, "redis-server").canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** A new redis-server on a free port, answering PING. */
    public static PrivateRedis start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PrivateRedis r = new PrivateRedis(port);
        r.restart();
        return r;
    }

    /** Starts it again on its port (after {@link #stop}); returns once it answers PING. */
    public synchronized void restart() throws IOException, InterruptedException {
        if (running()) {
            throw new IllegalStateException("redis-server on port " + port + " is already running");
        }
        process = Reaper.watch(new ProcessBuilder(
                        "redis-server",
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--daemonize",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!TestRedis.reachable(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-server did not start on port " + port
                        + (process.isAlive() ? "" : " (exit " + process.waitFor() + ")"));
            }
            Thread.sleep(50);
        }
    }

    /** kill -9: the clients' connections drop at once, and what it held is gone. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
