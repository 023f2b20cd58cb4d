package io.chatmsg.alerts;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;

/**
 * Alerts by e-mail, against a real SMTP server (GreenMail) running in the test:
 * first down — the alert shows, its mail is retried and chat goes on unhurt —
 * then up, when the mails arrive: one per change of state, not one per probe.
 */
@AutoConfigureMockMvc
class AlertsIntegrationTests extends GatewayIntegrationTest {

    private static final int SMTP_PORT = freePort();
    private static GreenMail smtp;

    @Autowired
    MockMvc mvc;

    @DynamicPropertySource
    static void alerts(DynamicPropertyRegistry registry) {
        registry.add("chat.alerts.recipients", () -> "ops@example.test");
        registry.add("chat.alerts.from", () -> "gateway@example.test");
        registry.add("chat.alerts.smtp.host", () -> "127.0.0.1");
        registry.add("chat.alerts.smtp.port", () -> SMTP_PORT);
        registry.add("chat.alerts.smtp.timeout", () -> "2s");
        registry.add("chat.alerts.watch", () -> "watched-alice");
        registry.add("chat.alerts.check-interval", () -> "100ms");
        registry.add("chat.alerts.retry-initial", () -> "300ms");
        registry.add("chat.alerts.retry-max", () -> "1s");
        registry.add("chat.latency.interval", () -> "200ms");
        registry.add("chat.latency.inactive-after", () -> "500ms");
        // Only normal, inactive and offline should happen here, even on a loaded machine.
        registry.add("chat.latency.normal-below", () -> "400ms");
        registry.add("chat.latency.slow-below", () -> "450ms");
    }

    @AfterAll
    static void stopSmtp() {
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void aWatchedClientsChangesAreMailedOnceEachAndSmtpDownDelaysNothing() throws Exception {
        ChatTestClient alice = login("watched-alice");
        for (int i = 0; i < 3; i++) {
            String ping = alice.eventMatching(e -> e.startsWith("PING "));
            alice.send("PONG " + ping.substring(5));
        }
        // alice stops answering: inactive. The SMTP server is down.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> mvc.perform(
                        get("/api/alerts").with(httpBasic(ADMIN, PASSWORD)))
                .andExpect(jsonPath("$.content[0].subject").value("client watched-alice"))
                .andExpect(jsonPath("$.content[0].to").value("inactive"))
                .andExpect(jsonPath("$.content[0].mailStatus").value("retrying"))
                // Mails go out oldest first: the older alert (she came online) is being retried.
                .andExpect(jsonPath("$.content[1].to").value("normal"))
                .andExpect(jsonPath("$.content[1].mailAttempts").value(org.hamcrest.Matchers.greaterThanOrEqualTo(2)))
                .andExpect(jsonPath("$.content[1].mailError").value(containsString("Connection refused"))));
        mvc.perform(get("/alerts").with(user(ADMIN)))
                .andExpect(content().string(containsString("client watched-alice")))
                .andExpect(content().string(containsString("retrying")));

        // Chat is not slowed by the mail server being down.
        ChatTestClient bob = login(uniqueId("bob"));
        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            bob.send("MSG ALL still chatting " + i);
            assertThat(bob.reply()).startsWith("200 MSG ");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        // The SMTP server comes up: the retry delivers the mail.
        smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        // Two alerts were owed: she came online (offline -> normal), then went quiet.
        await().atMost(Duration.ofSeconds(10)).until(() -> smtp.getReceivedMessages().length >= 2);
        MimeMessage first = smtp.getReceivedMessages()[0];
        assertThat(first.getSubject()).isEqualTo("[test-gateway] client watched-alice: offline \u2192 normal");
        assertThat(first.getAllRecipients()[0].toString()).isEqualTo("ops@example.test");
        assertThat(first.getFrom()[0].toString()).isEqualTo("gateway@example.test");
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(first)).contains("watched-alice");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> mvc.perform(get("/api/alerts").with(httpBasic(ADMIN, PASSWORD)))
                        .andExpect(jsonPath("$.content[0].mailStatus").value("sent"))
                        .andExpect(jsonPath("$.content[1].mailStatus").value("sent")));

        // Probes go on every 200 ms; the state did not change, so no more mail.
        Thread.sleep(1000);
        assertThat(smtp.getReceivedMessages()).hasSize(2);

        // She answers again: back to normal, one mail; she leaves: offline, one more.
        alice.eventsWithin(50);
        for (int i = 0; i < 2; i++) {
            String ping = alice.eventMatching(e -> e.startsWith("PING "));
            alice.send("PONG " + ping.substring(5));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> smtp.getReceivedMessages().length >= 3);
        alice.send("QUIT");
        await().atMost(Duration.ofSeconds(10)).until(() -> smtp.getReceivedMessages().length >= 4);
        List<String> subjects = java.util.Arrays.stream(smtp.getReceivedMessages())
                .map(m -> {
                    try {
                        return m.getSubject();
                    } catch (jakarta.mail.MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
        assertThat(subjects)
                .containsExactly(
                        "[test-gateway] client watched-alice: offline \u2192 normal",
                        "[test-gateway] client watched-alice: normal \u2192 inactive",
                        "[test-gateway] client watched-alice: inactive \u2192 normal",
                        "[test-gateway] client watched-alice: normal \u2192 offline");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
