package io.chatmsg.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Its own context: it locks users out and changes the operator's password. */
@AutoConfigureMockMvc
@TestPropertySource(properties = "chat.server-name=hardening")
class SecurityHardeningTests extends GatewayIntegrationTest {

    @Autowired
    MockMvc mvc;

    @LocalServerPort
    int httpPort;

    @Test
    void tenFailuresLockAUserNameOutEvenWithTheRightPassword() throws Exception {
        for (int i = 0; i < DashboardLoginGuard.PER_USER; i++) {
            mvc.perform(get("/api/clients").with(httpBasic("intruder", "guess-" + i)))
                    .andExpect(status().isUnauthorized());
        }
        mvc.perform(get("/api/clients").with(httpBasic("intruder", "anything")))
                .andExpect(status().isTooManyRequests());
        mvc.perform(post("/login")
                        .param("username", "intruder")
                        .param("password", "x")
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl(
                        "/login?locked"));
        // Other names from the same address are not locked out by it.
        mvc.perform(get("/api/clients").with(httpBasic(ADMIN, PASSWORD))).andExpect(status().isOk());
        mvc.perform(get("/audit").with(user(ADMIN))).andExpect(content().string(containsString("locked out")));
    }

    @Test
    void forwardedForIsNotTrustedWithoutAForwardHeadersStrategy() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String basic = "Basic " + Base64.getEncoder().encodeToString("spoofer:guess".getBytes(StandardCharsets.UTF_8));
        int[] codes = new int[DashboardLoginGuard.PER_USER + 1];
        for (int i = 0; i < codes.length; i++) {
            // Every guess claims another address: all count against the real one.
            codes[i] = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/clients"))
                                    .header("Authorization", basic)
                                    .header("X-Forwarded-For", "203.0.113." + (100 + i))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
        assertThat(codes).containsOnly(401, 429).endsWith(429);
        assertThat(java.util.Arrays.stream(codes).filter(c -> c == 401).count())
                .isEqualTo(DashboardLoginGuard.PER_USER);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/..;/clients",
                "/api/%2e%2e/clients",
                "//api//clients",
                "/api/clients/..%2f..%2fusers",
                "/api/./clients",
                "/%2e/api/clients",
                "/api/clients;x=y",
                "/webjars/../api/clients",
                "/h2-console"
            })
    void encodedPathTricksNeverReachDataWithoutTheLogin(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isIn(302, 400, 401, 404);
        assertThat(r.body()).doesNotContain("\"sessionId\"").doesNotContain("\"clientId\"");
    }

    @Test
    void h2ConsoleIsNotThereEvenForTheOperator() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/h2-console"))
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString((ADMIN + ":" + PASSWORD)
                                                                .getBytes(StandardCharsets.UTF_8)))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isIn(302, 404);
    }

    @Test
    void chatTextIsAlwaysEscapedInThePages() throws Exception {
        String id = uniqueId("xss");
        ChatTestClient c = login(id);
        c.send("MSG " + id + " <script>alert('x')</script><img src=x onerror=alert(1)>");
        assertThat(c.reply()).startsWith("200 MSG");
        mvc.perform(get("/messages").param("from", id).with(user(ADMIN)))
                .andExpect(content().string(containsString("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")))
                .andExpect(content().string(not(containsString("<script>alert"))))
                .andExpect(content().string(not(containsString("<img src=x"))));
    }

    @Test
    void operatorChangesTheirOwnPassword() throws Exception {
        mvc.perform(post("/account/password")
                        .param("current", "not-it")
                        .param("password", "a-brand-new-one")
                        .param("confirm", "a-brand-new-one")
                        .with(user(ADMIN))
                        .with(csrf()))
                .andExpect(result -> assertThat(result.getFlashMap().get("problem"))
                        .asString()
                        .contains("the current password is wrong"));
        mvc.perform(post("/account/password")
                        .param("current", PASSWORD)
                        .param("password", "a-brand-new-one")
                        .param("confirm", "a-brand-new-one")
                        .with(user(ADMIN))
                        .with(csrf()))
                .andExpect(result -> assertThat(result.getFlashMap().get("notice"))
                        .asString()
                        .contains("Password changed"));
        mvc.perform(get("/api/clients").with(httpBasic(ADMIN, "a-brand-new-one")))
                .andExpect(status().isOk());
        mvc.perform(get("/api/clients").with(httpBasic(ADMIN, PASSWORD))).andExpect(status().isUnauthorized());
        // Back, so the rest of this class logs in as before.
        mvc.perform(post("/account/password")
                        .param("current", "a-brand-new-one")
                        .param("password", PASSWORD)
                        .param("confirm", PASSWORD)
                        .with(user(ADMIN))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
    }
}
