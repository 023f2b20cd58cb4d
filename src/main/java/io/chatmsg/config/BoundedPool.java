package io.chatmsg.config;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * A fixed number of named daemon threads ({@code <name>-1}, {@code <name>-2} …)
 * with a bounded queue: a task beyond it is refused with
 * {@link java.util.concurrent.RejectedExecutionException}, and the caller
 * decides what the client hears (503, a failed mail …). Declared as a bean beside
 * what uses it; its sizes are properties there.
 *
 * <p>Stopping happens in two steps. In its lifecycle phase (a higher phase stops
 * first) it gives what is queued and running up to {@code grace} to finish, still
 * taking tasks, since a stopped context may start again (Spring's test contexts
 * pause when not in use). The phases put this in order: the gateway drains its
 * connections, which may still wait on a pool; then the pools finish; then the
 * pools other pools feed; then the database writer commits the rest, and only
 * after that are beans destroyed. When the pool is destroyed it takes no more
 * tasks, gives the rest {@code grace} again, and interrupts and drops what is left.
 */
public final class BoundedPool extends ThreadPoolExecutor implements SmartLifecycle, DisposableBean {

    /** Once the gateway ({@code DEFAULT_PHASE - 512}) has drained its connections. */
    public static final int AFTER_GATEWAY = DEFAULT_PHASE - 1024;

    /** After the {@link #AFTER_GATEWAY} pools, whose last tasks may feed it; before the writer. */
    public static final int AFTER_POOLS = DEFAULT_PHASE - 2048;

    private static final Logger log = LoggerFactory.getLogger(BoundedPool.class);

    private final String name;
    private final Duration grace;
    private final int phase;
    private volatile boolean running;

    /**
     * @param name          the threads' name prefix (thread dumps, logs)
     * @param threads       threads, each started by a task and kept
     * @param queueCapacity tasks that may wait for a thread
     * @param grace         how long queued and running tasks get at stop; zero: none
     * @param phase         when it stops, one of the constants above
     */
    public BoundedPool(String name, int threads, int queueCapacity, Duration grace, int phase) {
        super(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity), daemons(name));
        this.name = name;
        this.grace = grace;
        this.phase = phase;
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Tasks that may wait for a thread, counting those waiting now. */
    public int queueCapacity() {
        return getQueue().size() + getQueue().remainingCapacity();
    }

    @Override
    public void start() {
        running = true;
    }

    /** Waits up to the grace for queued and running tasks; new ones are still taken. */
    @Override
    public void stop() {
        running = false;
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (getActiveCount() > 0 || !getQueue().isEmpty()) {
                if (System.nanoTime() - deadline >= 0) {
                    if (!grace.isZero()) {
                        log.warn("{}: tasks still queued or running after {}", name, grace);
                    }
                    return;
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return phase;
    }

    /** No more tasks; the grace for the rest, then they are interrupted and dropped. */
    @Override
    public void destroy() {
        running = false;
        shutdown();
        try {
            if (!grace.isZero() && !awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{}: tasks still running after {}; interrupting them", name, grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdownNow();
    }

    @Override
    public String toString() {
        return name + " pool (" + getMaximumPoolSize() + " threads, "
                + getQueue().size() + "/" + queueCapacity() + " queued)";
    }
}
