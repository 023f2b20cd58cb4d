package io.chatmsg.admin;

import java.time.Duration;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.MutableClock;
import io.chatmsg.support.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@AutoConfigureMockMvc
@Import(TestClock.class)
class BansIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    MutableClock clock;

    @Autowired
    MockMvc mvc;

    private org.springframework.test.web.servlet.request.RequestPostProcessor operator() {
        return httpBasic(ADMIN, PASSWORD);
    }

    @Test
    void bannedIdIsKickedThenRefusedUntilTheBanIsLifted() throws Exception {
        String id = uniqueId("troll");
        ChatTestClient c = login(id);
        mvc.perform(post("/api/users/" + id + "/ban")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"spam\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.kind").value("id"))
                .andExpect(jsonPath("$.reason").value("spam"));
        assertThat(c.eventMatching(e -> e.startsWith("KICKED"))).isEqualTo("KICKED banned: spam");
        assertThat(c.awaitClosed()).isTrue();

        ChatTestClient again = connect();
        again.send("LOGIN " + id.toUpperCase());
        assertThat(again.reply()).isEqualTo("403 banned: spam");

        mvc.perform(delete("/api/users/" + id + "/ban").with(operator())).andExpect(status().isNoContent());
        mvc.perform(delete("/api/users/" + id + "/ban").with(operator())).andExpect(status().isNotFound());
        again.send("LOGIN " + id);
        assertThat(again.reply()).isEqualTo("200 LOGIN " + id);
    }

    @Test
    void aWrongPasswordStillComesBeforeTheBan() throws Exception {
        String id = uniqueId("banreg");
        ChatTestClient c = connect();
        c.send("REGISTER " + id + " the-password");
        assertThat(c.reply()).startsWith("201");
        mvc.perform(post("/api/users/" + id + "/ban")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"x\"}"))
                .andExpect(status().isOk());
        c.send("LOGIN " + id + " wrong-password").send("LOGIN " + id + " the-password");
        assertThat(c.reply()).isEqualTo("401 wrong password");
        assertThat(c.reply()).startsWith("403 banned");
    }

    @Test
    void temporaryBanEndsByItself() throws Exception {
        String id = uniqueId("brief");
        String until = clock.instant().plusSeconds(60).toString();
        mvc.perform(post("/api/users/" + id + "/ban")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"cool down\",\"until\":\"" + until + "\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.expiresAt").isString());
        ChatTestClient c = connect();
        c.send("LOGIN " + id);
        assertThat(c.reply()).startsWith("403 banned: cool down (until ");
        clock.advance(Duration.ofSeconds(61)); // the server's clock: no waiting on the real one
        c.send("LOGIN " + id);
        assertThat(c.reply()).isEqualTo("200 LOGIN " + id);
    }

    @Test
    void addressBanClosesLiveSessionsAndRefusesNewConnections() throws Exception {
        String id = uniqueId("fromhere");
        ChatTestClient c = login(id);
        try {
            mvc.perform(post("/api/bans/addresses")
                            .with(operator())
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"address\":\"127.0.0.0/8\",\"reason\":\"abuse from this network\"}"))
                    .andExpect(status().isOk());
            assertThat(c.eventMatching(e -> e.startsWith("KICKED")))
                    .isEqualTo("KICKED banned: abuse from this network");
            ChatTestClient refused = connectRaw();
            assertThat(refused.awaitClosed()).isTrue();
            assertThat(refused.allLines()).containsExactly("BYE banned");
        } finally {
            mvc.perform(delete("/api/bans/addresses")
                            .param("address", "127.0.0.0/8")
                            .with(operator()))
                    .andExpect(status().isNoContent());
        }
        ChatTestClient welcome = connect();
        welcome.send("PING back");
        assertThat(welcome.reply()).isEqualTo("200 PONG back");
    }

    @Test
    void badBansAre400() throws Exception {
        mvc.perform(post("/api/users/someone/ban")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("reason is required"));
        mvc.perform(post("/api/users/someone/ban")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"x\",\"until\":\"2001-01-01T00:00:00Z\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("until must be in the future"));
        mvc.perform(post("/api/bans/addresses")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"address\":\"nowhere\",\"reason\":\"x\"}"))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/api/users/b@d/ban")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\":\"x\"}"))
                .andExpect(status().isBadRequest());
    }

    @Test
    void bansPageListsBansAndLiftsThem() throws Exception {
        String id = uniqueId("listed");
        mvc.perform(post("/bans")
                        .param("kind", "id")
                        .param("value", id)
                        .param("reason", "page ban")
                        .with(user(ADMIN))
                        .with(csrf()))
                .andExpect(redirectedUrl("/bans"));
        mvc.perform(get("/bans").with(user(ADMIN))).andExpect(content().string(containsString(id.toLowerCase())));
        mvc.perform(get("/api/bans").with(operator()))
                .andExpect(jsonPath("$[?(@.value == '" + id.toLowerCase() + "')].reason")
                        .value(org.hamcrest.Matchers.contains("page ban")));
        mvc.perform(post("/bans/lift")
                        .param("kind", "id")
                        .param("value", id)
                        .with(user(ADMIN))
                        .with(csrf()))
                .andExpect(redirectedUrl("/bans"));
        mvc.perform(get("/audit").with(user(ADMIN)))
                .andExpect(content().string(containsString("lifted the ban of id " + id)));
    }
}
