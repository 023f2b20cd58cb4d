package io.chatmsg.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chatmsg.ChatGatewayApplication;

/** The command line of {@code java -jar <jar> args...}, run from the test classpath instead of the jar. */
public final class JarLikeCommand {

    private JarLikeCommand() {}

    public static List<String> of(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                ChatGatewayApplication.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
