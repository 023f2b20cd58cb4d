package io.chatmsg.ops;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An OutOfMemoryError caught anywhere ends the process, in a JVM of its own. */
class ProcessGuardTests {

    /** Run in a child JVM: an OutOfMemoryError wrapped the way Netty hands it to a handler. */
    public static void main(String[] args) {
        ProcessGuard.haltIfFatal(new IllegalStateException("wrapped", new OutOfMemoryError("Java heap space")));
        ProcessGuard.haltIfFatal(new IllegalStateException("not fatal"));
        System.exit(0);
    }

    @Test
    void anOutOfMemoryErrorHaltsTheProcessWithStatusThree() throws Exception {
        assertThat(run("oom")).isEqualTo(ProcessGuard.OUT_OF_MEMORY);
    }

    @Test
    void anyOtherErrorDoesNot() throws Exception {
        assertThat(run("other")).isZero();
    }

    private static int run(String which) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String main = which.equals("oom") ? ProcessGuardTests.class.getName() : NotFatal.class.getName();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), main)
                .redirectErrorStream(true)
                .start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    /** The control: a plain exception passes through. */
    public static final class NotFatal {
        public static void main(String[] args) {
            ProcessGuard.haltIfFatal(new IllegalStateException("not fatal", new RuntimeException("cause")));
            System.exit(0);
        }
    }
}
