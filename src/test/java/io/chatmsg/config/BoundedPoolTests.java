package io.chatmsg.config;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedPoolTests {

    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch running = new CountDownLatch(1);
    private final AtomicInteger ran = new AtomicInteger();
    private BoundedPool pool;

    @AfterEach
    void release() {
        held.countDown();
        if (pool != null) {
            pool.destroy();
        }
    }

    /** Occupies one thread until {@link #held} opens; completes with whether it was interrupted. */
    private CompletableFuture<Boolean> holdAThread() throws InterruptedException {
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        pool.execute(() -> {
            running.countDown();
            try {
                held.await(10, TimeUnit.SECONDS);
                interrupted.complete(false);
            } catch (InterruptedException e) {
                interrupted.complete(true);
            }
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        return interrupted;
    }

    @Test
    void threadsAreNamedDaemonsNumberedFromOne() throws Exception {
        pool = new BoundedPool("sample", 2, 4, Duration.ZERO, BoundedPool.AFTER_GATEWAY);
        CompletableFuture<Thread> thread = new CompletableFuture<>();

        pool.execute(() -> thread.complete(Thread.currentThread()));

        assertThat(thread.get(5, TimeUnit.SECONDS).getName()).isEqualTo("sample-1");
        assertThat(thread.get().isDaemon()).isTrue();
        assertThat(pool.getMaximumPoolSize()).isEqualTo(2);
        assertThat(pool.queueCapacity()).isEqualTo(4);
    }

    @Test
    void aTaskBeyondTheQueueIsRefused() throws Exception {
        pool = new BoundedPool("sample", 1, 2, Duration.ofSeconds(5), BoundedPool.AFTER_GATEWAY);
        holdAThread();
        pool.execute(ran::incrementAndGet);
        pool.execute(ran::incrementAndGet);

        assertThatThrownBy(() -> pool.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        held.countDown();
        pool.stop();
        assertThat(ran).hasValue(2);
    }

    @Test
    void stopWaitsForQueuedTasksAndAStartedPoolRunsMore() throws Exception {
        pool = new BoundedPool("sample", 1, 4, Duration.ofSeconds(5), BoundedPool.AFTER_GATEWAY);
        pool.start();
        holdAThread();
        pool.execute(ran::incrementAndGet);
        pool.execute(ran::incrementAndGet);
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(held::countDown);

        pool.stop();

        assertThat(ran).hasValue(2);
        assertThat(pool.isRunning()).isFalse();
        // A stopped context may start again (Spring's test contexts pause when not in use).
        pool.start();
        CompletableFuture<Void> again = CompletableFuture.runAsync(ran::incrementAndGet, pool);
        again.get(5, TimeUnit.SECONDS);
        assertThat(pool.isRunning()).isTrue();
    }

    @Test
    void stopGivesUpWaitingAfterTheGrace() throws Exception {
        pool = new BoundedPool("sample", 1, 4, Duration.ofMillis(200), BoundedPool.AFTER_GATEWAY);
        holdAThread();
        long start = System.nanoTime();

        pool.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(held.getCount()).as("the task still runs").isOne();
    }

    @Test
    void destroyLetsQueuedTasksFinishWithinTheGraceThenRefusesMore() throws Exception {
        pool = new BoundedPool("sample", 1, 4, Duration.ofSeconds(5), BoundedPool.AFTER_GATEWAY);
        holdAThread();
        pool.execute(ran::incrementAndGet);
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(held::countDown);

        pool.destroy();

        assertThat(ran).hasValue(1);
        assertThat(pool.isTerminated()).isTrue();
        assertThatThrownBy(() -> pool.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void destroyWithoutGraceDropsQueuedTasksAndInterruptsRunningOnes() throws Exception {
        pool = new BoundedPool("sample", 1, 4, Duration.ZERO, BoundedPool.AFTER_GATEWAY);
        CompletableFuture<Boolean> interrupted = holdAThread();
        pool.execute(ran::incrementAndGet);

        pool.destroy();

        assertThat(interrupted.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(0);
    }

    @Test
    void poolsThatOthersFeedStopAfterThem() {
        pool = new BoundedPool("sample", 1, 1, Duration.ZERO, BoundedPool.AFTER_POOLS);

        assertThat(pool.getPhase()).isEqualTo(BoundedPool.AFTER_POOLS).isLessThan(BoundedPool.AFTER_GATEWAY);
    }
}
