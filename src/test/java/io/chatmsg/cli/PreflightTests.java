package io.chatmsg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class PreflightTests {

    @TempDir
    Path tmp;

    private final Properties system = new Properties();

    private String problem(Map<String, String> env, String... args) {
        return Preflight.problem(args, env, system);
    }

    @Test
    void goodSettingsPass() {
        assertThat(problem(
                        Map.of("CHAT_UDP_PORT", "7001"),
                        "--chat.port=7000",
                        "--chat.tls.port=0",
                        "--server.port=65535",
                        "--chat.data-dir=" + tmp.resolve("new/data")))
                .isNull();
        assertThat(problem(Map.of())).isNull();
    }

    @Test
    void eachPortKeyMustBeANumberFromZeroTo65535() {
        assertThat(problem(Map.of(), "--chat.port=abc")).isEqualTo("--chat.port=abc: not a port number (0-65535)");
        assertThat(problem(Map.of(), "--chat.tls.port=-1"))
                .isEqualTo("--chat.tls.port=-1: not a port number (0-65535)");
        assertThat(problem(Map.of(), "--chat.udp.port=65536"))
                .isEqualTo("--chat.udp.port=65536: not a port number (0-65535)");
        assertThat(problem(Map.of(), "--server.port=99999"))
                .isEqualTo("--server.port=99999: not a port number (0-65535)");
        assertThat(problem(Map.of(), "--server.port")).isEqualTo("--server.port: not a port number (0-65535)");
    }

    @Test
    void readsThePortAsSpringBootDoes() {
        assertThat(problem(Map.of(), "--chat.port= 7000 ")).isNull();
        assertThat(problem(Map.of(), "--chat.port=0x1F40")).isNull();
        assertThat(problem(Map.of(), "--Chat.Port=x")).isEqualTo("--Chat.Port=x: not a port number (0-65535)");
    }

    @Test
    void aKeyGivenTwiceIsNamed() {
        assertThat(problem(Map.of(), "--chat.port=1", "--chat.port=2"))
                .isEqualTo("--chat.port=1 --chat.port=2: given more than once");
    }

    @Test
    void environmentAndSystemPropertiesCountWhenTheCommandLineIsSilent() {
        assertThat(problem(Map.of("SERVER_PORT", "http")))
                .isEqualTo("SERVER_PORT=http (environment): not a port number (0-65535)");
        system.setProperty("chat.tls.port", "1e3");
        assertThat(problem(Map.of())).isEqualTo("-Dchat.tls.port=1e3: not a port number (0-65535)");
        // the command line wins, as in Spring Boot: a bad value it overrides does not matter
        assertThat(problem(Map.of("SERVER_PORT", "http"), "--server.port=0", "--chat.tls.port=1"))
                .isNull();
    }

    @Test
    void dataDirThatIsAFileOrUnderAFileIsNamed() throws Exception {
        Path file = Files.createFile(tmp.resolve("f"));
        assertThat(problem(Map.of(), "--chat.data-dir=" + file))
                .isEqualTo("--chat.data-dir=" + file + ": is a file, not a directory");
        assertThat(problem(Map.of(), "--chat.data-dir=" + file.resolve("a/b")))
                .isEqualTo("--chat.data-dir=" + file.resolve("a/b") + ": cannot be created: " + file
                        + " is a file, not a directory");
        assertThat(problem(Map.of("CHAT_DATA_DIR", file.toString())))
                .isEqualTo("CHAT_DATA_DIR=" + file + " (environment): is a file, not a directory");
        assertThat(problem(Map.of("CHAT_DATADIR", file.toString())))
                .startsWith("CHAT_DATADIR=" + file + " (environment)");
    }

    @Test
    void aDirectoryThatExistsOrCanBeMadeIsFine() {
        assertThat(problem(Map.of(), "--chat.data-dir=" + tmp)).isNull();
        assertThat(problem(Map.of(), "--chat.data-dir=" + tmp.resolve("x/y/z"))).isNull();
    }
}
