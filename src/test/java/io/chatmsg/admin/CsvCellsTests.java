package io.chatmsg.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The cells of the messages CSV export (no server needed). */
class CsvCellsTests {

    @Test
    void csvCellsAreQuotedAndFormulasDefused() {
        assertThat(RecordsController.csv("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(RecordsController.csv("=cmd")).isEqualTo("\"'=cmd\"");
        assertThat(RecordsController.csv(null)).isEmpty();
        assertThat(RecordsController.csv("a-b = c")).isEqualTo("\"a-b = c\"");
        assertThat(RecordsController.csv("  ")).isEqualTo("\"  \"");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "=1+1",
                "+1+1",
                "-1+1",
                "@SUM(A1)",
                "\t=1+1",
                " =1+1",
                "   +1",
                " \t@x",
                "\u00a0=1+1",
                "\u3000-1",
                "\tplain",
                "\rplain",
                "\nplain"
            })
    void csvCellsThatASpreadsheetWouldRunGetALeadingQuote(String cell) {
        assertThat(RecordsController.csv(cell)).startsWith("\"'");
    }
}
