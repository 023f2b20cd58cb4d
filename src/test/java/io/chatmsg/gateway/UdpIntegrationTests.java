package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.UdpTestClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The datagram form over real datagrams, with TCP and TLS clients on the other side. */
@AutoConfigureMockMvc
@TestPropertySource(
        properties = {
            "chat.tls.enabled=true",
            "chat.tls.port=0",
            "chat.udp.session-timeout=1500ms",
            "chat.udp.max-datagram-size=1024B"
        })
class UdpIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    MeterRegistry registry;

    @Autowired
    MockMvc mvc;

    private UdpTestClient udp() throws Exception {
        return new UdpTestClient(gateway.udpPort());
    }

    @Test
    void listensOnTheTcpPortNumberByDefault() {
        assertThat(gateway.udpPort()).isEqualTo(gateway.port());
    }

    @Test
    void pingNeedsNoLogin() throws Exception {
        try (UdpTestClient u = udp()) {
            u.send("PING probe-1");
            assertThat(u.receive()).isEqualTo("200 PONG probe-1\r\n");
            u.sendRaw("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(u.receive()).isEqualTo("200 PONG\r\n");
        }
    }

    @Test
    void messagesFlowBetweenUdpTcpAndTlsBothWays() throws Exception {
        String u1 = uniqueId("udp");
        String t1 = uniqueId("tcp");
        String s1 = uniqueId("tls");
        ChatTestClient tcp = login(t1);
        ChatTestClient tls = ChatTestClient.connectTls(gateway.tlsPort());
        tls.send("LOGIN " + s1);
        assertThat(tls.reply()).isEqualTo("200 LOGIN " + s1);
        try (UdpTestClient u = udp()) {
            assertThat(u.login(u1)).isEqualTo("200 LOGIN " + u1 + "\r\n");
            assertThat(tcp.eventMatching(e -> e.startsWith("JOIN " + u1))).isEqualTo("JOIN " + u1);

            tcp.send("MSG " + u1 + " hello over udp");
            assertThat(tcp.reply()).startsWith("200 MSG ");
            assertThat(u.receiveSkippingPresence()).isEqualTo("MSG " + t1 + " " + u1 + " hello over udp\r\n");

            u.send("MSG " + s1 + " hello over tls");
            assertThat(u.receiveSkippingPresence()).startsWith("200 MSG ");
            assertThat(tls.eventMatching(e -> e.startsWith("MSG ")))
                    .isEqualTo("MSG " + u1 + " " + s1 + " hello over tls");

            u.send("MSG ALL hello everyone");
            assertThat(u.receiveSkippingPresence()).matches("200 MSG \\d+ \\d+\r\n");
            assertThat(tcp.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG " + u1 + " ALL hello everyone");

            tls.send("MSG ALL from tls");
            assertThat(u.receiveSkippingPresence()).isEqualTo("MSG " + s1 + " ALL from tls\r\n");

            u.send("LOGOFF " + u1);
            assertThat(u.receiveSkippingPresence()).isEqualTo("200 LOGOFF " + u1 + "\r\n");
            assertThat(tcp.eventMatching(e -> e.startsWith("LEAVE " + u1))).isEqualTo("LEAVE " + u1);
        } finally {
            tls.close();
        }
    }

    @Test
    void aLongWhoIsSplitAtLineBoundariesIntoDatagramsOfAtMost1200Bytes() throws Exception {
        List<ChatTestClient> crowd = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            crowd.add(login(uniqueId("a-rather-long-client-id-")));
        }
        try (UdpTestClient u = udp()) {
            String me = uniqueId("udpwho");
            assertThat(u.login(me)).isEqualTo("200 LOGIN " + me + "\r\n");
            u.send("WHO");
            List<String> parts = u.receiveUntilFinal("200");
            assertThat(parts).hasSizeGreaterThan(1);
            List<String> lines = new ArrayList<>();
            for (String p : parts) {
                assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1200);
                assertThat(p).endsWith("\r\n");
                lines.addAll(List.of(p.split("\r\n")));
            }
            assertThat(lines.get(lines.size() - 1)).matches("200 WHO \\d+");
            int n = Integer.parseInt(lines.get(lines.size() - 1).substring(8));
            assertThat(lines).hasSize(n + 1);
            assertThat(lines).contains("200-" + me);
        }
    }

    @Test
    void strangersGetAtMostOneShortReplyAndMalformedDatagramsAreDroppedAndCounted() throws Exception {
        try (UdpTestClient u = udp()) {
            u.send("WHO");
            String who = u.receive();
            assertThat(who.length()).isLessThanOrEqualTo("WHO\n".length() + UdpEndpoint.STRANGER_EXTRA);
            assertThat(who).startsWith("401");
            u.send("MSG bob hello");
            assertThat(u.receive()).startsWith("401");
            assertThat(u.receive(300)).isNull();

            double before = count("udp malformed datagram");
            u.send("FOO bar");
            u.sendRaw(new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
            u.send("LOGIN bad/id");
            u.sendRaw("PING a\nPING b\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(u.receive(500)).isNull();
            assertThat(count("udp malformed datagram")).isEqualTo(before + 4);
            u.send("HELP");
            assertThat(u.receive(300)).isNull();
        }
    }

    @Test
    void loggedInSendersGet400ForMalformedDatagramsAndForTcpOnlyCommands() throws Exception {
        try (UdpTestClient u = udp()) {
            String me = uniqueId("udpbad");
            assertThat(u.login(me)).isEqualTo("200 LOGIN " + me + "\r\n");
            u.send("FOO");
            assertThat(u.receive()).isEqualTo("400 unknown command FOO\r\n");
            u.sendRaw(new byte[] {(byte) 0xc3, '\n'});
            assertThat(u.receive()).isEqualTo("400 invalid UTF-8\r\n");
            u.send("HISTORY ALL");
            assertThat(u.receive()).isEqualTo("400 HISTORY is not available over UDP; use TCP\r\n");
            u.sendRaw("MSG ALL a\nMSG ALL b".getBytes(StandardCharsets.US_ASCII));
            assertThat(u.receive()).isEqualTo("400 one command per datagram\r\n");
        }
    }

    @Test
    void oversizedDatagramsAreDroppedAndCounted() throws Exception {
        try (UdpTestClient u = udp()) {
            String me = uniqueId("udpbig");
            assertThat(u.login(me)).isEqualTo("200 LOGIN " + me + "\r\n");
            double before = count("udp datagram too large");
            u.send("MSG ALL " + "x".repeat(1100));
            assertThat(u.receive(500)).isNull();
            assertThat(count("udp datagram too large")).isEqualTo(before + 1);
            u.send("PING ok");
            assertThat(u.receive()).isEqualTo("200 PONG ok\r\n");
        }
    }

    @Test
    void aSilentSessionIsLoggedOff() throws Exception {
        String me = uniqueId("udpidle");
        ChatTestClient watcher = login(uniqueId("watcher"));
        try (UdpTestClient u = udp()) {
            assertThat(u.login(me)).isEqualTo("200 LOGIN " + me + "\r\n");
            assertThat(watcher.eventMatching(e -> e.equals("JOIN " + me))).isNotNull();
            assertThat(u.receive(4000)).isEqualTo("BYE idle timeout\r\n");
            assertThat(watcher.eventMatching(e -> e.equals("LEAVE " + me))).isNotNull();
            u.send("MSG ALL are you there");
            assertThat(u.receive()).startsWith("401");
        }
    }

    @Test
    void offlineMessagesWaitForTheAddressToSpeakAgainAfterLogin() throws Exception {
        String me = uniqueId("udpoff");
        try (UdpTestClient u = udp()) {
            assertThat(u.login(me)).isEqualTo("200 LOGIN " + me + "\r\n");
            u.send("LOGOFF " + me);
            assertThat(u.receive()).isEqualTo("200 LOGOFF " + me + "\r\n");
        }
        ChatTestClient tcp = login(uniqueId("sender"));
        tcp.send("MSG " + me + " while you were away");
        assertThat(tcp.reply()).startsWith("202 MSG ");
        try (UdpTestClient u = udp()) {
            assertThat(u.login(me)).isEqualTo("200 LOGIN " + me + "\r\n");
            assertThat(u.receive(300)).isNull();
            u.send("PING back");
            assertThat(u.receive()).endsWith(" " + me + " while you were away\r\n");
            assertThat(u.receive()).isEqualTo("200 PONG back\r\n");
        }
    }

    @Test
    void udpSessionsShowInTheApiAndCanBeKicked() throws Exception {
        String me = uniqueId("udpapi");
        ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor();
        try (UdpTestClient u = udp()) {
            assertThat(u.login(me)).isEqualTo("200 LOGIN " + me + "\r\n");
            // This context's session timeout is short; on a busy machine the web stack may take longer.
            keepAlive.scheduleAtFixedRate(() -> ping(u), 0, 200, TimeUnit.MILLISECONDS);
            var result = mvc.perform(get("/api/clients").with(httpBasic(ADMIN, PASSWORD)))
                    .andExpect(jsonPath("$[?(@.clientId == '" + me + "')].transport")
                            .value("udp"))
                    .andReturn();
            String json = result.getResponse().getContentAsString();
            String idField = json.substring(0, json.indexOf("\"clientId\":\"" + me + "\""));
            String sessionId = idField.substring(idField.lastIndexOf("\"sessionId\":") + 12)
                    .split(",")[0];
            mvc.perform(post("/api/clients/" + sessionId + "/kick")
                            .with(httpBasic(ADMIN, PASSWORD))
                            .contentType("application/json")
                            .content("{\"reason\":\"udp test\"}"))
                    .andExpect(status().isNoContent());
            String kicked = u.receiveSkippingPresence();
            while (kicked.startsWith("200 PONG keep")) {
                kicked = u.receiveSkippingPresence();
            }
            assertThat(kicked).isEqualTo("KICKED udp test\r\n");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> mvc.perform(
                            get("/api/clients").with(httpBasic(ADMIN, PASSWORD)))
                    .andExpect(jsonPath("$[?(@.clientId == '" + me + "')]").isEmpty()));
        } finally {
            keepAlive.shutdownNow();
        }
    }

    private static void ping(UdpTestClient u) {
        try {
            u.send("PING keep");
        } catch (java.io.IOException e) {
            // the socket closed at the end of the test
        }
    }

    private double count(String reason) {
        Counter c = registry.find("chat.refusals").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }
}
