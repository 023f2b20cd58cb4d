package io.chatmsg.admin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.chatmsg.cli.Launcher;
import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@AutoConfigureMockMvc
class AdminWebTests extends GatewayIntegrationTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    io.chatmsg.history.MessageLog messageLog;

    private static RequestPostProcessor operator() {
        return httpBasic(ADMIN, PASSWORD);
    }

    private static RequestPostProcessor dashboardUser() {
        return user(ADMIN).roles("ADMIN");
    }

    @Test
    void theFooterShowsTheBuildAsTheVersionOptionPrintsIt() throws Exception {
        mvc.perform(get("/").with(dashboardUser()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("<span id=\"version\">" + Launcher.version() + "</span>")));
    }

    // Security ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/clients",
                "/clients/table",
                "/clients/1",
                "/broadcast",
                "/sessions",
                "/messages",
                "/messages.csv",
                "/users",
                "/audit",
                "/stats.json"
            })
    void pagesNeedTheLogin(String path) throws Exception {
        mvc.perform(get(path)).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
    }

    @Test
    void healthIsOpen() throws Exception {
        mvc.perform(get("/actuator/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"));
    }

    @Test
    void healthShowsTheDatabaseAndItsDetailsToTheOperatorOnly() throws Exception {
        mvc.perform(get("/actuator/health"))
                .andExpect(jsonPath("$.components.db.status").value("UP"))
                .andExpect(jsonPath("$.components.db.details").doesNotExist());
        mvc.perform(get("/actuator/health").with(operator()))
                .andExpect(jsonPath("$.components.db.status").value("UP"))
                .andExpect(jsonPath("$.components.db.details.database")
                        .value(TestStore.postgresql() ? "PostgreSQL" : "H2"));
    }

    @Test
    void readinessIncludesTheDatabaseAndLivenessDoesNot() throws Exception {
        mvc.perform(get("/actuator/health/readiness"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.components.db.status").value("UP"))
                .andExpect(jsonPath("$.components.readinessState.status").value("UP"));
        mvc.perform(get("/actuator/health/liveness"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.components.db").doesNotExist());
    }

    @Test
    void livenessAndReadinessAreOpen() throws Exception {
        mvc.perform(get("/actuator/health/liveness"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk());
    }

    @Test
    void prometheusNeedsTheOperatorAndShowsTheGatewaysMeters() throws Exception {
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
        ChatTestClient c = login(uniqueId("metered"));
        c.send("MSG ALL metered");
        assertThat(c.reply()).startsWith("200 MSG");
        c.send("BOGUS");
        assertThat(c.reply()).startsWith("400");
        mvc.perform(get("/actuator/prometheus").with(operator()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("chat_connections{transport=\"tcp\"}")))
                .andExpect(content().string(containsString("chat_logins_total")))
                .andExpect(content().string(containsString("chat_messages_received_total{kind=\"broadcast\"}")))
                .andExpect(content().string(containsString("chat_refusals_total{reason=\"400\"}")))
                .andExpect(content().string(containsString("chat_ack_latency_seconds_bucket")))
                .andExpect(content().string(containsString("chat_store_batch_size_bucket")))
                .andExpect(content().string(containsString("chat_store_commit_seconds_count")))
                .andExpect(content().string(containsString("chat_store_queue")));
    }

    @Test
    void infoShowsTheBuild() throws Exception {
        mvc.perform(get("/actuator/info").with(operator())).andExpect(status().isOk());
    }

    @Test
    void loginPageAndAssetsAreOpen() throws Exception {
        mvc.perform(get("/login"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Log in")));
        mvc.perform(get("/webjars/bootstrap/dist/css/bootstrap.min.css")).andExpect(status().isOk());
        mvc.perform(get("/webjars/htmx.org/dist/htmx.min.js")).andExpect(status().isOk());
        mvc.perform(get("/webjars/chart.js/dist/chart.umd.min.js")).andExpect(status().isOk());
    }

    @Test
    void apiWithoutCredentialsIs401Json() throws Exception {
        mvc.perform(get("/api/clients"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", startsWith("Basic")))
                .andExpect(jsonPath("$.status").value(401));
    }

    @Test
    void apiWithWrongPasswordIs401AndAudited() throws Exception {
        mvc.perform(get("/api/clients").with(httpBasic(ADMIN, "wrong-password")))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/audit").with(dashboardUser())).andExpect(content().string(containsString("login failed")));
    }

    @Test
    void formLoginSucceedsAndIsAudited() throws Exception {
        mvc.perform(formLogin("/login").user(ADMIN).password(PASSWORD))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/"));
        mvc.perform(get("/audit").with(dashboardUser())).andExpect(content().string(containsString("dashboard")));
    }

    @Test
    void formLoginWithWrongPasswordGoesBackToTheForm() throws Exception {
        mvc.perform(formLogin("/login").user(ADMIN).password("nope")).andExpect(redirectedUrl("/login?error"));
    }

    @Test
    void formsNeedTheCsrfToken() throws Exception {
        mvc.perform(post("/broadcast").param("text", "hi").with(dashboardUser()))
                .andExpect(status().isForbidden());
        mvc.perform(post("/clients/1/kick").param("reason", "x").with(dashboardUser()))
                .andExpect(status().isForbidden());
    }

    @Test
    void apiCallsRidingOnTheSessionNeedTheCsrfTokenToo() throws Exception {
        mvc.perform(post("/api/broadcast")
                        .with(dashboardUser())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\":\"x\"}"))
                .andExpect(status().isForbidden());
    }

    @Test
    void anotherAuthorizationHeaderDoesNotExcuseASessionsCallFromTheCsrfToken() throws Exception {
        MockHttpSession session =
                (MockHttpSession) mvc.perform(formLogin("/login").user(ADMIN).password(PASSWORD))
                        .andExpect(redirectedUrl("/"))
                        .andReturn()
                        .getRequest()
                        .getSession(false);
        String wrongBasic =
                "Basic " + Base64.getEncoder().encodeToString((ADMIN + ":wrong").getBytes(StandardCharsets.UTF_8));
        for (String authorization : new String[] {"Bearer x", wrongBasic, "Basic !!!", "Basic"}) {
            mvc.perform(post("/api/clients/kick")
                            .session(session)
                            .header("Authorization", authorization)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"reason\":\"x\",\"idPrefix\":\"nobody-csrf-\"}"))
                    .andExpect(status().isForbidden());
        }
        mvc.perform(post("/api/clients/kick")
                        .session(session)
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"x\",\"idPrefix\":\"nobody-csrf-\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.kicked").value(0));
    }

    @Test
    void scriptsWithHttpBasicNeedNoCsrfToken() throws Exception {
        mvc.perform(post("/api/clients/kick")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"x\",\"idPrefix\":\"nobody-script-\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.kicked").value(0));
        mvc.perform(post("/api/clients/kick")
                        .with(httpBasic(ADMIN, "wrong"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"x\",\"idPrefix\":\"nobody-script-\"}"))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void pagesSendSecurityHeaders() throws Exception {
        mvc.perform(get("/login"))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andExpect(header().string("Content-Security-Policy", containsString("default-src 'self'")));
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        mvc.perform(post("/logout").with(dashboardUser()).with(csrf())).andExpect(redirectedUrl("/login?logout"));
    }

    // Pages ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/clients",
                "/clients?sort=bytesIn&descending=true&page=3&filter=x",
                "/clients/table",
                "/clients/999999",
                "/broadcast",
                "/sessions",
                "/sessions?endReason=live",
                "/messages",
                "/messages?q=a&from=b&to=ALL",
                "/users",
                "/audit",
                "/audit?page=-1",
                "/clients?sort=nonsense&page=-5"
            })
    void everyPageRenders(String path) throws Exception {
        mvc.perform(get(path).with(dashboardUser())).andExpect(status().isOk());
    }

    @Test
    void unknownPageIsAFriendlyPageNotAStackTrace() throws Exception {
        mvc.perform(get("/error")
                        .with(dashboardUser())
                        .requestAttr("jakarta.servlet.error.status_code", 404)
                        .accept(MediaType.TEXT_HTML))
                .andExpect(content().string(containsString("Page not found")))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("Exception"))));
    }

    @Test
    void csvExportWithABadTimeIs400NotAnError() throws Exception {
        mvc.perform(get("/messages.csv").param("until", "tomorrow").with(dashboardUser()))
                .andExpect(status().isBadRequest());
    }

    @Test
    void badTimeInASearchIsShownNotThrown() throws Exception {
        mvc.perform(get("/messages").param("since", "yesterday").with(dashboardUser()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("since must be an ISO-8601 UTC time")));
    }

    @Test
    void clientsPageListsALiveSocket() throws Exception {
        String id = uniqueId("listed");
        login(id);
        mvc.perform(get("/clients/table").with(dashboardUser()))
                .andExpect(content().string(containsString(id)));
    }

    @Test
    void broadcastFormSendsAndSaysHowMany() throws Exception {
        ChatTestClient c = login(uniqueId("formbc"));
        mvc.perform(post("/broadcast")
                        .param("text", "form broadcast")
                        .with(dashboardUser())
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("delivered to")));
        assertThat(c.eventMatching(e -> e.startsWith("MSG SERVER"))).isEqualTo("MSG SERVER ALL form broadcast");
    }

    @Test
    void broadcastFormRefusesEmptyText() throws Exception {
        mvc.perform(post("/broadcast")
                        .param("text", "   ")
                        .with(dashboardUser())
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Not sent: text is required")));
    }

    @Test
    void broadcastFormRefusesC1AndBidiControls() throws Exception {
        for (String text : new String[] {"\u009b2Jcleared", "invoice\u202efdp.exe", "a\u007fb"}) {
            mvc.perform(post("/broadcast")
                            .param("text", text)
                            .with(dashboardUser())
                            .with(csrf()))
                    .andExpect(status().isOk())
                    .andExpect(content().string(containsString("text must be one line without control characters")));
        }
    }

    @Test
    void kickFormOfAGoneSessionSaysSo() throws Exception {
        mvc.perform(post("/clients/999999/kick")
                        .param("reason", "x")
                        .with(dashboardUser())
                        .with(csrf()))
                .andExpect(redirectedUrl("/clients"))
                .andExpect(result -> assertThat(result.getFlashMap().get("problem"))
                        .asString()
                        .contains("no longer connected"));
    }

    @Test
    void messagesExportAsCsv() throws Exception {
        String a = uniqueId("csvA");
        ChatTestClient c = login(a);
        c.send("MSG " + a + " =1+1, \"quoted\"");
        assertThat(c.reply()).startsWith("200 MSG");
        mvc.perform(get("/messages.csv").param("from", a).with(dashboardUser()))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", startsWith("text/csv")))
                .andExpect(content().string(startsWith("id,sentAt,from,to,status,text\r\n")))
                .andExpect(content().string(containsString("\"'=1+1, \"\"quoted\"\"\"")));
    }

    @Test
    void aSearchCountsToItsLimitAndTheCsvStillHasEveryRow() throws Exception {
        String a = uniqueId("bulk");
        int n = AdminQueries.MESSAGE_COUNT_LIMIT + 500;
        java.util.List<java.util.concurrent.CompletableFuture<Void>> writes = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            writes.add(messageLog.appendDelivered(messageLog.nextId(), java.time.Instant.now(), a, "zed", "bulk " + i));
        }
        writes.forEach(java.util.concurrent.CompletableFuture::join);

        // Without a text search: counted exactly.
        mvc.perform(get("/api/messages").param("from", a).param("size", "500").with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content.length()").value(500))
                .andExpect(jsonPath("$.content[0].text").value("bulk " + (n - 1)))
                .andExpect(jsonPath("$.totalElements").value(n))
                .andExpect(jsonPath("$.totalCapped").value(false));
        // A text search matching them all: counted up to the limit.
        mvc.perform(get("/api/messages")
                        .param("from", a)
                        .param("q", "bulk")
                        .param("size", "500")
                        .with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content.length()").value(500))
                .andExpect(jsonPath("$.content[0].text").value("bulk " + (n - 1)))
                .andExpect(jsonPath("$.totalElements").value(AdminQueries.MESSAGE_COUNT_LIMIT))
                .andExpect(jsonPath("$.totalCapped").value(true));
        // "bulk 149" and "bulk 1490" to "bulk 1499": counted exactly.
        mvc.perform(get("/api/messages").param("from", a).param("q", "BULK 149").with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalElements").value(11))
                .andExpect(jsonPath("$.totalCapped").value(false));
        mvc.perform(get("/messages").param("from", a).param("q", "bulk").with(dashboardUser()))
                .andExpect(content().string(containsString(AdminQueries.MESSAGE_COUNT_LIMIT + "+</span> messages")));

        String csv = mvc.perform(get("/messages.csv").param("from", a).with(dashboardUser()))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String[] lines = csv.split("\r\n");
        assertThat(lines).hasSize(n + 1);
        assertThat(lines[1]).endsWith(",\"bulk " + (n - 1) + "\"");
        assertThat(lines[n]).endsWith(",\"bulk 0\"");
    }

    // REST API -----------------------------------------------------------------------

    @Test
    void clientsListsLiveSessionsWithTheirCounters() throws Exception {
        String id = uniqueId("api");
        ChatTestClient c = login(id);
        c.send("MSG " + id + " hello");
        assertThat(c.reply()).startsWith("200 MSG");
        mvc.perform(get("/api/clients").with(operator()))
                .andExpect(status().isOk())
                .andExpect(
                        jsonPath("$[?(@.clientId == '" + id + "')].transport").value("tcp"))
                .andExpect(
                        jsonPath("$[?(@.clientId == '" + id + "')].messagesIn").value(1))
                .andExpect(jsonPath("$[?(@.clientId == '" + id + "')].connectedAt")
                        .value(org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.matchesPattern(
                                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"))));
    }

    @Test
    void oneClientHasTheListFieldsAtTheTopAndItsRecentLines() throws Exception {
        String id = uniqueId("detail");
        ChatTestClient c = login(id);
        c.send("PING seen");
        assertThat(c.reply()).isEqualTo("200 PONG seen");
        String clients = mvc.perform(get("/api/clients").with(operator()))
                .andReturn()
                .getResponse()
                .getContentAsString();
        long sessionId = com.jayway.jsonpath.JsonPath.<java.util.List<Integer>>read(
                        clients, "$[?(@.clientId == '" + id + "')].sessionId")
                .get(0);
        mvc.perform(get("/api/clients/" + sessionId).with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.sessionId").value(sessionId))
                .andExpect(jsonPath("$.clientId").value(id))
                .andExpect(jsonPath("$.transport").value("tcp"))
                .andExpect(jsonPath("$.bytesIn").isNumber())
                .andExpect(jsonPath("$.client").doesNotExist())
                .andExpect(jsonPath("$.recentLines[?(@.text == 'PING seen')].direction")
                        .value(org.hamcrest.Matchers.contains("in")));
    }

    @Test
    void unknownSessionIs404Json() throws Exception {
        mvc.perform(get("/api/clients/999999").with(operator()))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("no live session 999999"));
        mvc.perform(post("/api/clients/999999/kick")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"x\"}"))
                .andExpect(status().isNotFound());
    }

    @Test
    void kickWithoutAReasonIs400() throws Exception {
        mvc.perform(post("/api/clients/1/kick")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("reason is required"));
    }

    @Test
    void badBroadcastsAre400WithAReason() throws Exception {
        mvc.perform(post("/api/broadcast")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\":\"\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("text is required"));
        mvc.perform(post("/api/broadcast")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\":\"" + "x".repeat(5000) + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(startsWith("text is too long")));
        mvc.perform(post("/api/broadcast")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\":\"two\\nlines\"}"))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/api/broadcast")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{nope"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(startsWith("the request body must be a JSON object")));
    }

    @Test
    void broadcastAnswersIdAndRecipients() throws Exception {
        ChatTestClient c = login(uniqueId("apibc"));
        mvc.perform(post("/api/broadcast")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\":\"api says hi\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.messageId").isNumber())
                .andExpect(jsonPath("$.recipients").isNumber());
        assertThat(c.eventMatching(e -> e.startsWith("MSG SERVER"))).isEqualTo("MSG SERVER ALL api says hi");
    }

    @Test
    void kickClosesTheSocketWithTheReasonAndRecordsWhoDidIt() throws Exception {
        String id = uniqueId("apikick");
        ChatTestClient c = login(id);
        String clients = mvc.perform(get("/api/clients").with(operator()))
                .andReturn()
                .getResponse()
                .getContentAsString();
        long sessionId = com.jayway.jsonpath.JsonPath.<java.util.List<Integer>>read(
                        clients, "$[?(@.clientId == '" + id + "')].sessionId")
                .get(0);
        mvc.perform(post("/api/clients/" + sessionId + "/kick")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"too loud\"}"))
                .andExpect(status().isNoContent());
        assertThat(c.event()).isEqualTo("KICKED too loud");
        assertThat(c.awaitClosed()).isTrue();
        // The session's end reason names the operator (written by the database writer shortly after).
        String endReason = null;
        for (int i = 0; i < 50 && endReason == null; i++) {
            String page = mvc.perform(get("/api/sessions").param("clientId", id).with(operator()))
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            endReason = com.jayway.jsonpath.JsonPath.read(page, "$.content[0].endReason");
            Thread.sleep(100);
        }
        assertThat(endReason).isEqualTo("kicked by " + ADMIN + ": too loud");
    }

    @Test
    void sessionsAndMessagesArePages() throws Exception {
        String a = uniqueId("pg");
        ChatTestClient c = login(a);
        c.send("MSG ALL paged " + a);
        assertThat(c.reply()).startsWith("200 MSG");
        mvc.perform(get("/api/messages").param("from", a).param("size", "5").with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content[0].text").value("paged " + a))
                .andExpect(jsonPath("$.content[0].to").value("ALL"))
                .andExpect(jsonPath("$.content[0].status").value("delivered"))
                .andExpect(jsonPath("$.totalElements").value(1))
                .andExpect(jsonPath("$.number").value(0))
                .andExpect(jsonPath("$.size").value(5));
        mvc.perform(get("/api/sessions").param("clientId", a).with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content[0].clientId").value(a))
                .andExpect(jsonPath("$.content[0].disconnectedAt").doesNotExist());
    }

    @Test
    void badQueryParametersAre400() throws Exception {
        mvc.perform(get("/api/messages").param("since", "last tuesday").with(operator()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(startsWith("since must be an ISO-8601 UTC time")));
        mvc.perform(get("/api/messages").param("size", "0").with(operator())).andExpect(status().isBadRequest());
        mvc.perform(get("/api/sessions").param("page", "-1").with(operator())).andExpect(status().isBadRequest());
        mvc.perform(get("/api/sessions").param("page", "abc").with(operator())).andExpect(status().isBadRequest());
        mvc.perform(get("/api/clients/abc").with(operator())).andExpect(status().isBadRequest());
    }

    // Bulk actions and targeted broadcasts ------------------------------------------------

    @Test
    void bulkKickPicksByIdPrefixAndSparesTheRest() throws Exception {
        String prefix = uniqueId("bot") + "-";
        ChatTestClient bot1 = login(prefix + "1");
        ChatTestClient bot2 = login(prefix + "2");
        ChatTestClient human = login(uniqueId("human"));
        mvc.perform(get("/api/clients").param("idPrefix", prefix).with(operator()))
                .andExpect(jsonPath("$.length()").value(2));
        mvc.perform(post("/api/clients/kick")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"bots out\",\"idPrefix\":\"" + prefix.toUpperCase() + "\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.kicked").value(2));
        assertThat(bot1.eventMatching(e -> e.startsWith("KICKED"))).isEqualTo("KICKED bots out");
        assertThat(bot2.eventMatching(e -> e.startsWith("KICKED"))).isEqualTo("KICKED bots out");
        assertThat(bot1.awaitClosed()).isTrue();
        human.send("PING still");
        assertThat(human.reply()).isEqualTo("200 PONG still");
    }

    @Test
    void bulkKickNeedsACriterionAndValidValues() throws Exception {
        mvc.perform(post("/api/clients/kick")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"everyone\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(startsWith("choose at least one criterion")));
        mvc.perform(post("/api/clients/kick")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"x\",\"address\":\"10.0.0.0/99\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(startsWith("address must be an IP address or a CIDR range")));
        mvc.perform(get("/api/clients").param("transport", "carrier-pigeon").with(operator()))
                .andExpect(status().isBadRequest());
    }

    @Test
    void bulkKickByAddressRange() throws Exception {
        String id = uniqueId("local");
        login(id);
        mvc.perform(get("/api/clients").param("address", "127.0.0.0/8").with(operator()))
                .andExpect(jsonPath("$[?(@.clientId == '" + id + "')]").isNotEmpty());
        mvc.perform(get("/api/clients").param("address", "10.0.0.0/8").with(operator()))
                .andExpect(jsonPath("$.length()").value(0));
    }

    @Test
    void targetedBroadcastReachesOnlyTheSelectionAndWaitsForOfflineOnes() throws Exception {
        String prefix = uniqueId("team") + "-";
        ChatTestClient member = login(prefix + "on");
        ChatTestClient outsider = login(uniqueId("outsider"));
        login(prefix + "off").close();
        // The offline member is known; wait until the server has seen it leave.
        for (int i = 0; i < 50; i++) {
            String users = mvc.perform(get("/api/users").param("id", prefix).with(operator()))
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            if (users.contains("\"id\":\"" + prefix + "off\",")
                    && !com.jayway.jsonpath.JsonPath.<java.util.List<Boolean>>read(
                                    users, "$.content[?(@.id == '" + prefix + "off')].online")
                            .get(0)) {
                break;
            }
            Thread.sleep(50);
        }
        mvc.perform(post("/api/broadcast")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\":\"team meeting\",\"to\":{\"idPrefix\":\"" + prefix
                                + "\"},\"queueOffline\":true}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.recipients").value(1))
                .andExpect(jsonPath("$.queued").value(1));
        assertThat(member.eventMatching(e -> e.startsWith("MSG SERVER"))).isEqualTo("MSG SERVER ALL team meeting");
        assertThat(outsider.eventsWithin(300)).noneMatch(e -> e.startsWith("MSG SERVER"));

        ChatTestClient back = login(prefix + "off");
        assertThat(back.eventMatching(e -> e.startsWith("MSG SERVER"))).isEqualTo("MSG SERVER ALL team meeting");
    }

    @Test
    void bulkPagesPreviewThenKick() throws Exception {
        String prefix = uniqueId("pv") + "-";
        ChatTestClient c = login(prefix + "a");
        mvc.perform(get("/clients/bulk").param("idPrefix", prefix).with(dashboardUser()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(prefix + "a")))
                .andExpect(content().string(containsString("Kick all 1")));
        mvc.perform(get("/clients/bulk").param("address", "not-an-ip").with(dashboardUser()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("address must be an IP address or a CIDR range")));
        mvc.perform(post("/clients/bulk/kick")
                        .param("idPrefix", prefix)
                        .param("reason", "cleanup")
                        .with(dashboardUser())
                        .with(csrf()))
                .andExpect(redirectedUrl("/clients"));
        assertThat(c.eventMatching(e -> e.startsWith("KICKED"))).isEqualTo("KICKED cleanup");
    }

    @Test
    void scheduledBroadcastIsSentWhenDueAndCanBeCancelledBefore() throws Exception {
        ChatTestClient c = login(uniqueId("sched"));
        String soon = java.time.Instant.now().plusSeconds(1).toString();
        String later = java.time.Instant.now().plusSeconds(3600).toString();
        mvc.perform(post("/api/broadcast")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\":\"maintenance soon\",\"at\":\"" + soon + "\"}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("pending"));
        String cancelled = mvc.perform(post("/api/broadcast")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\":\"never\",\"at\":\"" + later + "\"}"))
                .andExpect(status().isAccepted())
                .andReturn()
                .getResponse()
                .getContentAsString();
        long id = ((Number) com.jayway.jsonpath.JsonPath.read(cancelled, "$.scheduledId")).longValue();
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete(
                                "/api/broadcasts/scheduled/" + id)
                        .with(operator()))
                .andExpect(status().isNoContent());
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete(
                                "/api/broadcasts/scheduled/" + id)
                        .with(operator()))
                .andExpect(status().isNotFound());

        assertThat(c.eventMatching(e -> e.startsWith("MSG SERVER"))).isEqualTo("MSG SERVER ALL maintenance soon");
        mvc.perform(get("/api/broadcasts/scheduled").with(operator()))
                .andExpect(jsonPath("$[?(@.scheduledId == " + id + ")].status")
                        .value(org.hamcrest.Matchers.contains("cancelled")));
        mvc.perform(get("/broadcast").with(dashboardUser()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("maintenance soon")));
    }

    @Test
    void scheduleInThePastIsRefused() throws Exception {
        mvc.perform(post("/api/broadcast")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\":\"late\",\"at\":\"2000-01-01T00:00:00Z\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("the time to send must be in the future"));
    }

    @Test
    void operatorCanSetAPasswordAndDeleteAUser() throws Exception {
        String id = uniqueId("managed");
        ChatTestClient c = login(id);
        mvc.perform(post("/api/users/" + id + "/password")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"password\":\"short\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("password must be 8 to 128 characters"));
        mvc.perform(post("/api/users/" + id + "/password")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"password\":\"set-by-operator\"}"))
                .andExpect(status().isNoContent());
        ChatTestClient other = connect();
        other.send("LOGIN " + id + " set-by-operator");
        assertThat(other.reply()).startsWith("409"); // the password is right; the id is still online

        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/api/users/" + id)
                        .with(operator()))
                .andExpect(status().isNoContent());
        assertThat(c.eventMatching(e -> e.startsWith("KICKED"))).isEqualTo("KICKED account deleted");
        other.send("MSG " + id + " are you there");
        assertThat(other.reply()).startsWith("401"); // other never logged in
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/api/users/" + id)
                        .with(operator()))
                .andExpect(status().isNotFound());
        mvc.perform(get("/audit").with(dashboardUser()))
                .andExpect(content().string(containsString("user " + id + " deleted")))
                .andExpect(content().string(containsString("password of " + id + " reset")));
    }

    @Test
    void usersPageOffersPasswordAndDelete() throws Exception {
        String id = uniqueId("pageuser");
        login(id);
        // The user's row is written by the group-commit writer, a moment after 200 LOGIN.
        org.awaitility.Awaitility.await()
                .untilAsserted(() -> mvc.perform(get("/users").param("id", id).with(dashboardUser()))
                        .andExpect(content().string(containsString("/users/" + id + "/password"))));
        mvc.perform(post("/users/" + id + "/password")
                        .param("password", "new-password-1")
                        .with(dashboardUser())
                        .with(csrf()))
                .andExpect(redirectedUrl("/users"));
        mvc.perform(post("/users/nobody-at-all/delete").with(dashboardUser()).with(csrf()))
                .andExpect(redirectedUrl("/users"))
                .andExpect(result -> assertThat(result.getFlashMap().get("problem"))
                        .asString()
                        .contains("No user"));
    }

    @Test
    void topTalkersApiChecksItsParameters() throws Exception {
        mvc.perform(get("/api/top")
                        .param("minutes", "60")
                        .param("sort", "messages")
                        .with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$").isArray());
        mvc.perform(get("/api/top").param("minutes", "7").with(operator()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("minutes must be 1, 15 or 60"));
        mvc.perform(get("/api/top")).andExpect(status().isUnauthorized());
    }

    @Test
    void usersSaysWhoIsOnline() throws Exception {
        String id = uniqueId("Known");
        login(id);
        org.awaitility.Awaitility.await().untilAsserted(() -> mvc.perform(
                        get("/api/users").param("id", id).with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content[?(@.id == '" + id + "')].online")
                        .value(org.hamcrest.Matchers.contains(true))));
    }

    @Test
    void usersPageShowsFiftyIdsAndAPager() throws Exception {
        String prefix = uniqueId("many") + "-";
        ChatTestClient c = connect();
        for (int i = 0; i < 51; i++) {
            String id = prefix + String.format("%02d", i);
            c.send("LOGIN " + id);
            assertThat(c.reply()).startsWith("200 LOGIN");
            c.send("LOGOFF " + id);
            assertThat(c.reply()).startsWith("200 LOGOFF");
        }
        org.awaitility.Awaitility.await().untilAsserted(() -> mvc.perform(
                        get("/users").param("id", prefix).with(dashboardUser()))
                .andExpect(content().string(containsString("51</span> ids")))
                .andExpect(content().string(containsString(prefix + "49")))
                .andExpect(content().string(not(containsString(prefix + "50"))))
                .andExpect(content().string(containsString("page 1 of 2"))));
        mvc.perform(get("/users").param("id", prefix).param("page", "1").with(dashboardUser()))
                .andExpect(content().string(containsString(prefix + "50")))
                .andExpect(content().string(not(containsString(prefix + "49"))))
                .andExpect(content().string(containsString("page 2 of 2")));
    }

    @Test
    void usersArePagesInIdOrder() throws Exception {
        String prefix = uniqueId("Paged") + "-";
        for (String suffix : new String[] {"c", "A", "b"}) {
            login(prefix + suffix).close();
        }
        org.awaitility.Awaitility.await().untilAsserted(() -> mvc.perform(get("/api/users")
                        .param("id", prefix.toUpperCase())
                        .param("size", "2")
                        .with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalElements").value(3))
                .andExpect(jsonPath("$.totalPages").value(2))
                .andExpect(jsonPath("$.number").value(0))
                .andExpect(jsonPath("$.size").value(2))
                .andExpect(jsonPath("$.content[0].id").value(prefix + "A"))
                .andExpect(jsonPath("$.content[1].id").value(prefix + "b")));
        mvc.perform(get("/api/users")
                        .param("id", prefix)
                        .param("size", "2")
                        .param("page", "1")
                        .with(operator()))
                .andExpect(jsonPath("$.content.length()").value(1))
                .andExpect(jsonPath("$.content[0].id").value(prefix + "c"));
        mvc.perform(get("/api/users").with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.size").value(20));
        mvc.perform(get("/api/users").param("size", "501").with(operator()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("size must be from 1 to 500"));
        mvc.perform(get("/api/users").param("page", "-1").with(operator()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("page must be 0 or more"));
        mvc.perform(get("/api/users").param("size", "lots").with(operator())).andExpect(status().isBadRequest());
        // The page: 50 a page, with the pager once there are more.
        mvc.perform(get("/users").param("id", prefix).with(dashboardUser()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(prefix + "A")))
                .andExpect(content().string(containsString("3</span> ids")));
    }
}
