package io.chatmsg.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Child processes a test started (gateway nodes, a private redis-server) that must not
 * outlive the test JVM: each is killed by a shutdown hook if the test's own clean-up did
 * not run (a test JVM stopped by surefire's timeout, or Ctrl-C). Only a kill -9 of the
 * test JVM itself leaves them.
 */
public final class Reaper {

    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Reaper::reapAll, "reap-test-children"));
    }

    private Reaper() {}

    /** Kills {@code p} when the test JVM ends, unless it has ended by then. */
    public static Process watch(Process p) {
        CHILDREN.add(p);
        p.onExit().thenRun(() -> CHILDREN.remove(p));
        return p;
    }

    private static void reapAll() {
        for (Process p : CHILDREN) {
            p.destroyForcibly();
        }
    }
}
