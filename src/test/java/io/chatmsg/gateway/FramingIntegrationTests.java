package io.chatmsg.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FramingIntegrationTests extends GatewayIntegrationTest {

    @Test
    void answersTwoHundredPipelinedCommandsInOrder() throws Exception {
        ChatTestClient c = connect();
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            burst.append(i % 3 == 0 ? "BOGUS" + i : "PING " + i).append("\r\n");
        }
        c.sendRaw(burst.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 200; i++) {
            assertThat(c.reply()).isEqualTo(i % 3 == 0 ? "400 unknown command BOGUS" + i : "200 PONG " + i);
        }
    }

    @Test
    void pipelinedMessagesAreAcknowledgedInOrder() throws Exception {
        String a = uniqueId("pipe");
        String b = uniqueId("pipe");
        ChatTestClient ca = login(a);
        ChatTestClient cb = login(b);
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            burst.append("MSG ")
                    .append(b)
                    .append(" n")
                    .append(i)
                    .append("\r\nPING p")
                    .append(i)
                    .append("\r\n");
        }
        ca.sendRaw(burst.toString().getBytes(StandardCharsets.US_ASCII));
        long last = 0;
        for (int i = 0; i < 100; i++) {
            String ack = ca.reply();
            assertThat(ack).startsWith("200 MSG ");
            long id = Long.parseLong(ack.substring(8));
            assertThat(id).isGreaterThan(last);
            last = id;
            assertThat(ca.reply()).isEqualTo("200 PONG p" + i);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(cb.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG " + a + " " + b + " n" + i);
        }
    }

    @Test
    void commandSplitByteByByteIsReassembled() throws Exception {
        ChatTestClient c = connect();
        for (byte b : "PING split\r\n".getBytes(StandardCharsets.US_ASCII)) {
            c.sendRaw(new byte[] {b});
            Thread.sleep(2);
        }
        assertThat(c.reply()).isEqualTo("200 PONG split");
    }

    @Test
    void acceptsLfAndCrLfAndAlwaysAnswersWithCrLf() throws Exception {
        ChatTestClient c = connect();
        c.sendRaw("PING lf\nPING crlf\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply()).isEqualTo("200 PONG lf");
        assertThat(c.reply()).isEqualTo("200 PONG crlf");
        assertThat(c.badTerminator()).isNull();
    }

    @Test
    void blankLinesGetNoReply() throws Exception {
        ChatTestClient c = connect();
        c.sendRaw("\r\n\n    \r\nPING after-blanks\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply()).isEqualTo("200 PONG after-blanks");
    }

    @Test
    void overLongLineGets413AndTheConnectionResynchronises() throws Exception {
        ChatTestClient c = connect();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("PING before\r\n".getBytes(StandardCharsets.US_ASCII));
        b.write(("MSG x " + "y".repeat(10_000) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        b.write("PING after\r\n".getBytes(StandardCharsets.US_ASCII));
        c.sendRaw(b.toByteArray());
        assertThat(c.reply()).isEqualTo("200 PONG before");
        assertThat(c.reply()).isEqualTo("413 line too long");
        assertThat(c.reply()).isEqualTo("200 PONG after");
    }

    @Test
    void lineAtTheLimitIsAcceptedAndOneByteMoreIsNot() throws Exception {
        ChatTestClient c = connect();
        // 4096 bytes including the LF is the default limit.
        String token = "t".repeat(4096 - "PING ".length() - 1);
        c.sendRaw(("PING " + token + "\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply()).isEqualTo("200 PONG " + token);
        c.sendRaw(("PING " + token + "t\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply()).isEqualTo("413 line too long");
    }

    @Test
    void unterminatedFloodIsCutOffWithoutWaitingForItsEnd() throws Exception {
        ChatTestClient c = connect();
        byte[] chunk = "z".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 32; i++) {
            c.sendRaw(chunk);
        }
        // 2 MiB without a newline: refused as soon as it passes the limit, never buffered.
        assertThat(c.reply()).isEqualTo("413 line too long");
        c.sendRaw("\nPING alive\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply()).isEqualTo("200 PONG alive");
    }

    @Test
    void invalidUtf8AndControlCharactersGet400AndTheConnectionStaysUsable() throws Exception {
        ChatTestClient c = connect();
        c.sendRaw(new byte[] {'P', 'I', 'N', 'G', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
        c.sendRaw(new byte[] {'P', 'I', 'N', 'G', ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'}); // surrogate
        c.sendRaw(new byte[] {'P', 'I', 'N', 'G', ' ', (byte) 0xC0, (byte) 0xAF, '\n'}); // overlong '/'
        c.sendRaw("PING a\u0000b\n".getBytes(StandardCharsets.UTF_8));
        c.sendRaw("PING a\u0007b\n".getBytes(StandardCharsets.UTF_8));
        c.sendRaw("PING ação\n".getBytes(StandardCharsets.UTF_8));
        assertThat(c.reply()).isEqualTo("400 invalid UTF-8");
        assertThat(c.reply()).isEqualTo("400 invalid UTF-8");
        assertThat(c.reply()).isEqualTo("400 invalid UTF-8");
        assertThat(c.reply()).startsWith("400 ");
        assertThat(c.reply()).startsWith("400 ");
        assertThat(c.reply()).isEqualTo("200 PONG ação");
    }

    @Test
    void c1ControlsDelAndBidiOverridesAreRefusedAndNeverReachTheRecipient() throws Exception {
        String alice = uniqueId("alice");
        String bob = uniqueId("bob");
        ChatTestClient a = login(alice);
        ChatTestClient b = login(bob);
        // CSI as one C1 character (ESC [ on many terminals), NEL, DEL, and "Trojan Source" reordering.
        for (String text : new String[] {
            "\u009b2J\u009bHcleared", "one\u0085two", "rub\u007fout", "invoice\u202efdp.exe", "\u2067hidden\u2069"
        }) {
            a.send("MSG " + bob + " " + text);
            assertThat(a.reply()).as(text).startsWith("400 ").endsWith("control character in line");
            a.send("MSG ALL " + text);
            assertThat(a.reply()).as(text).startsWith("400 ");
        }
        // Right-to-left letters themselves are text like any other.
        a.send("MSG " + bob + " \u05e9\u05dc\u05d5\u05dd");
        assertThat(a.reply()).startsWith("200 MSG ");
        assertThat(b.eventMatching(e -> e.startsWith("MSG ")))
                .isEqualTo("MSG " + alice + " " + bob + " \u05e9\u05dc\u05d5\u05dd");
    }

    @Test
    void eventsNeverSplitAMultiLineReply() throws Exception {
        String reader = uniqueId("reader");
        String writer = uniqueId("writer");
        ChatTestClient r = login(reader);
        ChatTestClient w = login(writer);
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            burst.append("MSG ").append(reader).append(" x").append(i).append("\r\n");
        }
        w.sendRaw(burst.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 20; i++) {
            r.send("HELP");
        }
        for (int i = 0; i < 20; i++) {
            r.multiLineReply();
        }
        boolean inside = false;
        for (String line : r.allLines()) {
            if (line.startsWith("200-")) {
                inside = true;
            } else if (line.startsWith("200 HELP")) {
                inside = false;
            } else {
                assertThat(inside).as("line %s inside a multi-line reply", line).isFalse();
            }
        }
    }
}
