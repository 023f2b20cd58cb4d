package io.chatmsg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the dependencies pointing one way (docs/architecture.md): a plain scan of the imports. */
class ArchitectureTests {

    private static final Path MAIN = Path.of("src/main/java/io/chatmsg");

    @ParameterizedTest(name = "{0} does not import {1}")
    @CsvSource({
        "protocol, io.netty",
        "protocol, org.springframework",
        "protocol, io.chatmsg.",
        "chat, io.netty",
        "chat, io.chatmsg.gateway",
        "account, io.netty",
        "history, io.netty",
        "session, io.netty",
        "store, io.netty",
        "account, io.chatmsg.gateway",
        "history, io.chatmsg.gateway",
        "session, io.chatmsg.gateway",
        "cli, org.springframework",
        "cli, io.chatmsg.gateway",
        "cli, io.chatmsg.chat"
    })
    void packageDoesNotDependOn(String pkg, String forbidden) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> imports(f, forbidden, pkg))
                    .map(Path::toString)
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }

    private static boolean imports(Path file, String prefix, String pkg) {
        try {
            String own = "io.chatmsg." + pkg + ".";
            return Files.readAllLines(file).stream()
                    .filter(l -> l.startsWith("import "))
                    .map(l -> l.replace("import static ", "").replace("import ", ""))
                    .anyMatch(l -> l.startsWith(prefix) && !l.startsWith(own));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
