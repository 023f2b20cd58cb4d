package io.chatmsg.protocol;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandParserTests {

    private final CommandParser parser = new CommandParser();

    static Stream<Arguments> validLines() {
        return Stream.of(
                Arguments.of("LOGIN alice", new Command.Login("alice", null)),
                Arguments.of("login Alice", new Command.Login("Alice", null)),
                Arguments.of("LoGiN   bob.smith-2_x   s3cret!pw", new Command.Login("bob.smith-2_x", "s3cret!pw")),
                Arguments.of("  LOGIN alice  ", new Command.Login("alice", null)),
                Arguments.of("LOGOFF alice", new Command.Logoff("alice")),
                Arguments.of("REGISTER alice s3cret-pw", new Command.Register("alice", "s3cret-pw")),
                Arguments.of("register  Bob  pässwörd!", new Command.Register("Bob", "pässwörd!")),
                Arguments.of("MSG bob hi", new Command.Msg("bob", "hi")),
                Arguments.of("msg bob hello world", new Command.Msg("bob", "hello world")),
                Arguments.of("MSG   bob   two leading", new Command.Msg("bob", "  two leading")),
                Arguments.of("MSG bob trailing  ", new Command.Msg("bob", "trailing  ")),
                Arguments.of("MSG bob tab\there", new Command.Msg("bob", "tab\there")),
                Arguments.of("MSG bob ação 日本 🎉", new Command.Msg("bob", "ação 日本 🎉")),
                // Right-to-left text, its marks (U+200E, U+200F) and U+00A0 are fine: only controls are refused.
                Arguments.of(
                        "MSG bob \u05e9\u05dc\u05d5\u05dd \u200f!\u200e \u00a0x",
                        new Command.Msg("bob", "\u05e9\u05dc\u05d5\u05dd \u200f!\u200e \u00a0x")),
                Arguments.of("MSG ALL hi all", new Command.MsgAll("hi all")),
                Arguments.of("msg all  spaced", new Command.MsgAll(" spaced")),
                Arguments.of("MSG SERVER hi", new Command.Msg("SERVER", "hi")),
                Arguments.of("WHO", new Command.Who()),
                Arguments.of("who   ", new Command.Who()),
                Arguments.of("HISTORY bob", new Command.History("bob", 20)),
                Arguments.of("HISTORY bob 5", new Command.History("bob", 5)),
                Arguments.of("HISTORY ALL", new Command.History(null, 20)),
                Arguments.of("history all 501", new Command.History(null, 500)),
                Arguments.of("HISTORY bob 0", new Command.History("bob", 0)),
                Arguments.of("HISTORY bob 99999999999999999999", new Command.History("bob", 500)),
                Arguments.of("PING", new Command.Ping("")),
                Arguments.of("PING abc", new Command.Ping("abc")),
                Arguments.of("ping  a b ", new Command.Ping("a b")),
                Arguments.of("PONG t1", new Command.Pong("t1")),
                Arguments.of("HELP", new Command.Help()),
                Arguments.of("Quit", new Command.Quit()),
                Arguments.of("PUT bob 5 notes.txt", new Command.Put("bob", 5, "notes.txt")),
                Arguments.of("put  ALL  0  my file (2).txt ", new Command.Put(null, 0, "my file (2).txt")),
                Arguments.of("PUT bob 12 ação.txt", new Command.Put("bob", 12, "ação.txt")),
                Arguments.of("PUT bob 007 ...x", new Command.Put("bob", 7, "...x")),
                Arguments.of("GET Ab12cd", new Command.Get("ab12cd")),
                Arguments.of("VERIFY q7Jx2mK9vLr4", new Command.Verify("q7Jx2mK9vLr4")),
                Arguments.of("verify  AbC-_9 ", new Command.Verify("AbC-_9")),
                Arguments.of("", new Command.Blank()),
                Arguments.of("     ", new Command.Blank()));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("validLines")
    void parsesValidLines(String line, Command expected) {
        assertThat(parser.parse(line)).isEqualTo(expected);
    }

    static Stream<Arguments> invalidLines() {
        return Stream.of(
                Arguments.of("FOO", 400, "unknown command FOO"),
                Arguments.of("foo bar", 400, "unknown command foo"),
                Arguments.of("X".repeat(100), 400, "unknown command " + "X".repeat(32) + "..."),
                Arguments.of("LOGIN", 400, "LOGIN needs an id"),
                Arguments.of("LOGIN al ice x", 400, "usage: LOGIN <id> [<password>]"),
                Arguments.of("LOGIN ALL", 400, "reserved id ALL"),
                Arguments.of("LOGIN server", 400, "reserved id server"),
                Arguments.of("LOGIN " + "a".repeat(33), 400, "bad id: 1 to 32 characters of A-Z a-z 0-9 _ . -"),
                Arguments.of("LOGIN al/ice", 400, "bad id: 1 to 32 characters of A-Z a-z 0-9 _ . -"),
                Arguments.of("LOGIN josé", 400, "bad id: 1 to 32 characters of A-Z a-z 0-9 _ . -"),
                Arguments.of("LOGIN ..", 400, "bad id: 1 to 32 characters of A-Z a-z 0-9 _ . -"),
                Arguments.of("REGISTER . secret-pw", 400, "bad id: 1 to 32 characters of A-Z a-z 0-9 _ . -"),
                Arguments.of("LOGOFF", 400, "LOGOFF needs an id"),
                Arguments.of("REGISTER", 400, "usage: REGISTER <id> <password>"),
                Arguments.of("REGISTER alice", 400, "usage: REGISTER <id> <password>"),
                Arguments.of("REGISTER alice a b", 400, "usage: REGISTER <id> <password>"),
                Arguments.of("REGISTER alice 1234567", 400, "password must be 8 to 128 characters"),
                Arguments.of("REGISTER server longenough", 400, "reserved id server"),
                Arguments.of("REGISTER a/b longenough", 400, "bad id: 1 to 32 characters of A-Z a-z 0-9 _ . -"),
                Arguments.of("LOGOFF b@d", 400, "bad id b@d"),
                Arguments.of("MSG", 400, "usage: MSG <id|ALL> <text>"),
                Arguments.of("MSG bob", 400, "empty text"),
                Arguments.of("MSG bob ", 400, "empty text"),
                Arguments.of("MSG bob     ", 400, "empty text"),
                Arguments.of("MSG ALL", 400, "empty text"),
                Arguments.of("MSG b!b hi", 400, "bad id b!b"),
                Arguments.of("WHO me", 400, "too many arguments for WHO"),
                Arguments.of("HISTORY", 400, "usage: HISTORY <id|ALL> [<n>]"),
                Arguments.of("HISTORY bob -1", 400, "bad count -1: expected a number of 0 or more"),
                Arguments.of("HISTORY bob ten", 400, "bad count ten: expected a number of 0 or more"),
                Arguments.of("HISTORY bob 5 6", 400, "too many arguments for HISTORY"),
                Arguments.of("HELP me", 400, "too many arguments for HELP"),
                Arguments.of("QUIT now", 400, "too many arguments for QUIT"),
                Arguments.of("PUT", 400, "usage: PUT <id|ALL> <size> <name>"),
                Arguments.of("PUT bob", 400, "usage: PUT <id|ALL> <size> <name>"),
                Arguments.of("PUT bob -1 x", 400, "bad size -1: expected a number of bytes"),
                Arguments.of("PUT bob 1e3 x", 400, "bad size 1e3: expected a number of bytes"),
                Arguments.of(
                        "PUT bob 1234567890123456789 x",
                        400,
                        "bad size 1234567890123456789: expected a number of bytes"),
                Arguments.of("PUT bob 5", 400, "PUT needs a file name"),
                Arguments.of("PUT b!b 5 x", 400, "bad id b!b"),
                Arguments.of("PUT bob 5 ../etc/passwd", 400, "bad name: no / or \\ (a plain file name, not a path)"),
                Arguments.of("PUT bob 5 a\\b", 400, "bad name: no / or \\ (a plain file name, not a path)"),
                Arguments.of("PUT bob 5 ..", 400, "bad name: . and .. are not file names"),
                Arguments.of("PUT bob 5 .", 400, "bad name: . and .. are not file names"),
                Arguments.of("PUT bob 5 a\tb", 400, "bad name: no control characters"),
                Arguments.of("PUT bob 5 " + "n".repeat(256), 400, "bad name: longer than 255 bytes"),
                Arguments.of("GET", 400, "usage: GET <file-id>"),
                Arguments.of("GET a b", 400, "usage: GET <file-id>"),
                Arguments.of("GET ../x", 400, "bad file id ../x"),
                Arguments.of("VERIFY", 400, "usage: VERIFY <cookie>"),
                Arguments.of("VERIFY a b", 400, "usage: VERIFY <cookie>"),
                Arguments.of("MSG bob a\u0000b", 400, "NUL in line"),
                Arguments.of("MSG bob a\rb", 400, "control character in line"),
                Arguments.of("\u001b[31mWHO", 400, "control character in line"),
                Arguments.of("MSG bob a\u007fb", 400, "control character in line"),
                Arguments.of("MSG bob a\u0085b", 400, "control character in line"),
                Arguments.of("MSG bob \u009b31mred", 400, "control character in line"),
                Arguments.of("MSG bob a\u009fb", 400, "control character in line"),
                Arguments.of("MSG bob photo\u202egpj.exe", 400, "bidi control character in line"),
                Arguments.of("MSG bob a\u202ab", 400, "bidi control character in line"),
                Arguments.of("MSG ALL a\u2066b\u2069", 400, "bidi control character in line"),
                Arguments.of("PUT bob 5 photo\u202egpj.exe", 400, "bidi control character in line"),
                Arguments.of("LOGIN \u0080", 400, "control character in line"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("invalidLines")
    void rejectsInvalidLinesWithCodeAndReason(String line, int code, String reason) {
        assertThatThrownBy(() -> parser.parse(line)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.reason()).isEqualTo(reason);
        });
    }

    @Test
    void keepsMessageTextByteForByteAfterTheOneSeparatingSpace() {
        Command c = parser.parse("MSG bob \t  x  ");
        assertThat(c).isEqualTo(new Command.Msg("bob", "\t  x  "));
    }

    @Test
    void tabOnlyTextIsNotEmpty() {
        // Only spaces make a text empty (docs/protocol.md); a tab is content.
        assertThat(parser.parse("MSG bob \t")).isEqualTo(new Command.Msg("bob", "\t"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "PUT bob 5 x|5",
                "put bob 0 x|0",
                "PUT ALL 100|100",
                "PUT bob 5 ../../x|5",
                "PUT b!b 7 x|7",
                "PUT bob -1 x|-1",
                "PUT bob 1e3 x|-1",
                "PUT bob|-1",
                "PUT|-1",
                "PUTS bob 5 x|-1",
                "MSG bob 5 x|-1",
                "PUT bob 999999999999999999 x|999999999999999999",
                "PUT bob 1000000000000000000 x|-1"
            })
    void bodySizeFollowsTheSameRuleAsTheParser(String line, long expected) {
        assertThat(CommandParser.putBodySize(line)).isEqualTo(expected);
    }
}
