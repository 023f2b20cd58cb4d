package io.chatmsg.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chatmsg.ChatGatewayApplication;

/** The command line of {@code java -jar <jar> args...}, run from the test classpath instead of the jar. */
public final class JarLikeCommand {

    private JarLikeCommand() {}

    public static List<String> of(String... args) {
        return withHeap("256m", args);
    }

    /** The same with another maximum heap ({@code -Xmx}), for tests that prove something fits. */
    public static List<String> withHeap(String maxHeap, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap,
                "-cp",
                System.getProperty("java.class.path"),
                ChatGatewayApplication.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
