package io.chatmsg.gateway;

import java.time.Duration;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;

/** Latency probes: the server PINGs each TCP client every interval and names what it measures. */
@AutoConfigureMockMvc
@TestPropertySource(
        properties = {
            "chat.latency.interval=300ms",
            "chat.latency.inactive-after=700ms",
            // Generous: a loaded CI machine must not turn a prompt PONG into "slow".
            "chat.latency.normal-below=2s",
            "chat.latency.slow-below=3s"
        })
class LatencyIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    MockMvc mvc;

    @Test
    void aClientThatAnswersIsNormalAndOneThatDoesNotIsInactive() throws Exception {
        String quick = uniqueId("quick");
        String mute = uniqueId("mute");
        ChatTestClient q = login(quick);
        ChatTestClient m = login(mute);
        // Answer three probes, then every probe at once (the checks below take longer than a
        // probe's 700 ms to answer when the machine is busy: a probe left unanswered would be fair).
        for (int i = 0; i < 3; i++) {
            String ping = q.eventMatching(e -> e.startsWith("PING "));
            q.send("PONG " + ping.substring(5));
        }
        q.answerPings();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> mvc.perform(get("/api/clients").with(httpBasic(ADMIN, PASSWORD)))
                        .andExpect(jsonPath("$[?(@.clientId == '" + quick + "')].latency")
                                .value("normal"))
                        .andExpect(jsonPath("$[?(@.clientId == '" + mute + "')].latency")
                                .value("inactive")));
        String sessionId = sessionIdOf(quick);
        mvc.perform(get("/api/clients/" + sessionId).with(httpBasic(ADMIN, PASSWORD)))
                .andExpect(jsonPath("$.rttMillis").isNumber())
                .andExpect(jsonPath("$.rttHistory.length()", greaterThanOrEqualTo(3)));
        mvc.perform(get("/clients/" + sessionId + "/rtt.json").with(user(ADMIN)))
                .andExpect(jsonPath("$[0].millis").isNumber());
        mvc.perform(get("/clients/" + sessionId).with(user(ADMIN)))
                .andExpect(content().string(containsString("id=\"chart-rtt\"")))
                .andExpect(content().string(containsString(">normal</span>")));
        // A muted client that starts answering promptly is normal again: skip the probes
        // already waiting (answered late they measure as very slow), answer fresh ones at once.
        m.eventsWithin(50);
        for (int i = 0; i < 2; i++) {
            String ping = m.eventMatching(e -> e.startsWith("PING "));
            m.send("PONG " + ping.substring(5));
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> mvc.perform(get("/api/clients").with(httpBasic(ADMIN, PASSWORD)))
                        .andExpect(jsonPath("$[?(@.clientId == '" + mute + "')].latency")
                                .value("normal")));
        // PONG got no reply: the next reply is the PING's.
        m.send("PING x");
        assertThat(m.reply()).isEqualTo("200 PONG x");
    }

    private String sessionIdOf(String clientId) throws Exception {
        String json = mvc.perform(get("/api/clients").with(httpBasic(ADMIN, PASSWORD)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String before = json.substring(0, json.indexOf("\"clientId\":\"" + clientId + "\""));
        return before.substring(before.lastIndexOf("\"sessionId\":") + 12).split(",")[0];
    }
}
