package io.chatmsg.cli;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LauncherTests {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Launcher.Outcome parse(String... args) {
        return Launcher.parse(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void noArgumentsRunsTheServerOnDefaults() {
        assertThat(parse().serverArgs()).isEmpty();
    }

    @Test
    void bareNumberIsTheChatPort() {
        assertThat(parse("7000", "--server.port=9090").serverArgs())
                .containsExactly("--chat.port=7000", "--server.port=9090");
    }

    @Test
    void propertiesPassThroughToSpring() {
        assertThat(parse("--chat.data-dir=/tmp/x").serverArgs()).containsExactly("--chat.data-dir=/tmp/x");
    }

    @Test
    void portOutOfRangeIsAUsageError() {
        Launcher.Outcome o = parse("70000");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("port must be a number from 0 to 65535")
                .contains("Usage:");
    }

    @Test
    void badPortPropertyIsAUsageErrorOfOneLineAndAHint() {
        Launcher.Outcome o = parse("--chat.port=abc");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.serverArgs()).isNull();
        assertThat(err.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("chat-gateway: --chat.port=abc: not a port number (0-65535)", Launcher.USAGE_HINT);
    }

    @Test
    void unknownWordIsAUsageError() {
        Launcher.Outcome o = parse("serve");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("chat-gateway: unexpected argument 'serve'");
    }

    @Test
    void helpPrintsUsageAndSucceeds() {
        Launcher.Outcome o = parse("--help");
        assertThat(o.exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("client HOST PORT");
    }

    @Test
    void versionPrintsTheBuildAndItsCommitFromTheJarWithoutSpring() throws Exception {
        Properties build = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/build-info.properties")) {
            build.load(in);
        }

        Launcher.Outcome o = parse("--version");

        assertThat(o.exitCode()).isZero();
        assertThat(o.serverArgs()).isNull();
        assertThat(out.toString(StandardCharsets.UTF_8).strip())
                .matches("chat-gateway " + Pattern.quote(build.getProperty("build.version"))
                        + "( \\(commit [0-9a-f]{7,}(, modified)?\\))?");
    }

    @Test
    void clientWithMissingArgumentsIsAUsageError() {
        assertThat(parse("client", "localhost").exitCode()).isEqualTo(2);
        assertThat(parse("client", "localhost", "notaport").exitCode()).isEqualTo(2);
    }
}
