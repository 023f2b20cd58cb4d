package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/protocol.md with the default limits: the guaranteed burst, 429s, BYE flood. */
class RateLimitIntegrationTests extends GatewayIntegrationTest {

    @Test
    void aBurstOfFiveHundredCommandsIsAlwaysAllowed() throws Exception {
        ChatTestClient c = connect();
        c.sendRaw("PING b\r\n".repeat(500).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 500; i++) {
            assertThat(c.reply()).isEqualTo("200 PONG b");
        }
    }

    @Test
    void aFloodGets429sThenByeFloodWhileOthersAreStillServed() throws Exception {
        ChatTestClient bystander = connect();
        ChatTestClient flooder = connect();
        flooder.sendRaw("PING f\r\n".repeat(5000).getBytes(StandardCharsets.US_ASCII));
        assertThat(flooder.awaitClosed()).isTrue();
        List<String> lines = flooder.allLines();
        assertThat(lines).contains("200 PONG f");
        assertThat(lines).anyMatch(l -> l.startsWith("429 "));
        assertThat(lines).last().isEqualTo("BYE flood");
        long answered = lines.stream().filter(l -> l.equals("200 PONG f")).count();
        assertThat(answered).isGreaterThanOrEqualTo(1000).isLessThan(5000);

        bystander.send("PING still-served");
        assertThat(bystander.reply()).isEqualTo("200 PONG still-served");
    }

    @Test
    void tlsHandshakeOnThePlainPortIsAnsweredOnceAndClosed() throws Exception {
        ChatTestClient c = connect();
        c.sendRaw(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
        assertThat(c.awaitClosed()).isTrue();
        assertThat(c.allLines()).last().isEqualTo("BYE this port speaks plain CHAT-MSG/1, not TLS");
    }

    @Test
    void httpRequestOnTheChatPortIsAnsweredOnceAndClosed() throws Exception {
        ChatTestClient c = connect();
        c.sendRaw("GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.awaitClosed()).isTrue();
        assertThat(c.allLines()).last().isEqualTo("BYE this is a CHAT-MSG/1 chat port, not HTTP");
    }

    @Test
    void aFirstLineThatOnlyLooksLikeAMethodIsStillChat() throws Exception {
        ChatTestClient c = connect();
        // GET is a chat command too (files): it needs a login, and the connection stays open.
        c.send("GET 42");
        assertThat(c.reply()).isEqualTo("401 not logged in");
        c.send("POST 42");
        assertThat(c.reply()).isEqualTo("400 unknown command POST");
        c.send("PING ok");
        assertThat(c.reply()).isEqualTo("200 PONG ok");
    }
}
