package io.chatmsg.ops;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Never a zombie. A server that has run out of memory, or whose database is gone,
 * answers some things and fails others, and a supervisor watching it would never
 * restart it. So: an {@link OutOfMemoryError} halts the process at once (it may not
 * be able to do anything else), and a component that declares the process broken
 * (liveness {@code BROKEN}, as the database writer does when the database is
 * closed) makes readiness go down and the process exit with status 1, for systemd
 * ({@code Restart=on-failure}) to start a fresh one. The exit is bounded: if the
 * orderly shutdown hangs, the process halts after {@link #EXIT_GRACE_SECONDS} s.
 */
@Component
public class ProcessGuard {

    /** Status of a halt after an {@link OutOfMemoryError}. */
    public static final int OUT_OF_MEMORY = 3;

    static final int EXIT_GRACE_SECONDS = 20;

    private static final Logger log = LoggerFactory.getLogger(ProcessGuard.class);

    /** How the process ends; a bean of this type replaces {@link SpringApplication#exit} + {@link System#exit}. */
    @FunctionalInterface
    public interface Exit {
        void exit(int status);
    }

    private final ApplicationContext context;
    private final Exit exit;
    private final AtomicBoolean exiting = new AtomicBoolean();

    ProcessGuard(ApplicationContext context, ObjectProvider<Exit> exit) {
        this.context = context;
        this.exit = exit.getIfAvailable(() -> this::exitProcess);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            haltIfFatal(e);
            log.error("uncaught exception in thread {}", thread.getName(), e);
        });
    }

    /**
     * Halts the process if {@code failure} is (or was caused by) an {@link OutOfMemoryError};
     * for catch blocks that would otherwise swallow one (Netty's exception handlers).
     */
    public static void haltIfFatal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                // No logging framework: it may need memory. One line, then stop.
                System.err.println("FATAL: out of memory (" + t.getMessage() + "): halting for a restart");
                Runtime.getRuntime().halt(OUT_OF_MEMORY);
            }
            if (t.getCause() == t) {
                return;
            }
        }
    }

    @EventListener
    void availabilityChanged(AvailabilityChangeEvent<?> event) {
        if (event.getState() == LivenessState.BROKEN && exiting.compareAndSet(false, true)) {
            log.error(
                    "the server cannot go on ({}): readiness down, exiting for the supervisor to restart it",
                    event.getSource());
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            Thread t = new Thread(() -> exit.exit(1), "chat-fatal-exit");
            t.setDaemon(false);
            t.start();
        }
    }

    private void exitProcess(int status) {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        TimeUnit.SECONDS.sleep(EXIT_GRACE_SECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.err.println("FATAL: shutdown did not finish in " + EXIT_GRACE_SECONDS + " s: halting");
                    Runtime.getRuntime().halt(status);
                },
                "chat-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.exit(SpringApplication.exit(context, () -> status));
    }
}
