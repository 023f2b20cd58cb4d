package io.chatmsg.chat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HelpTests {

    /** The command column of a row of the table: {@code | `MSG ALL <text>` | ...}. */
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z]+(?: ALL)?)\\b");

    @Test
    void listsEveryCommandOfTheProtocolDocument() throws Exception {
        List<String> documented = Files.readAllLines(Path.of("docs/protocol.md")).stream()
                .map(ROW::matcher)
                .filter(Matcher::find)
                .map(m -> m.group(1))
                .distinct()
                .toList();
        assertThat(documented).contains("LOGIN", "REGISTER", "MSG ALL", "QUIT");
        List<String> help = Help.RESPONSE.text().lines().toList();
        for (String command : documented) {
            assertThat(help)
                    .as(command)
                    .anyMatch(l -> l.startsWith("200-" + command + " ") || l.equals("200-" + command));
        }
    }

    @Test
    void countsItsLines() {
        List<String> help = Help.RESPONSE.text().lines().toList();
        assertThat(help).last().isEqualTo("200 HELP");
        assertThat(Help.RESPONSE.lines()).isEqualTo(help.size());
    }
}
