package io.chatmsg.admin;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import io.chatmsg.config.ChatProperties;
import io.chatmsg.support.FileClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The operator's view of transfers: list, download, delete, over the API and the page. */
@AutoConfigureMockMvc
class FilesAdminTests extends GatewayIntegrationTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    ChatProperties chat;

    @Test
    void listsDownloadsAndDeletesATransfer() throws Exception {
        String alice = uniqueId("alice");
        String bob = uniqueId("bob");
        String id;
        try (FileClient b = FileClient.login(gateway.port(), bob);
                FileClient a = FileClient.login(gateway.port(), alice)) {
            id = FileClient.fileId(a.put(bob, "plan ünicode.txt", "the plan".getBytes(StandardCharsets.UTF_8)));
            b.get(id);
            // Leave explicitly: closing the socket alone races bob's LOGIN below (409).
            b.command("LOGOFF " + bob);
        }
        mvc.perform(get("/api/files").param("clientId", alice).with(httpBasic(ADMIN, PASSWORD)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalElements").value(1))
                .andExpect(jsonPath("$.content[0].id").value(id))
                .andExpect(jsonPath("$.content[0].from").value(alice))
                .andExpect(jsonPath("$.content[0].to").value(bob))
                .andExpect(jsonPath("$.content[0].name").value("plan ünicode.txt"))
                .andExpect(jsonPath("$.content[0].size").value(8))
                .andExpect(jsonPath("$.content[0].sha256").value(FileClient.sha256("the plan".getBytes())));
        // "fetched" lands asynchronously after the GET.
        org.awaitility.Awaitility.await()
                .untilAsserted(() -> mvc.perform(get("/api/files/" + id).with(httpBasic(ADMIN, PASSWORD)))
                        .andExpect(jsonPath("$.downloads").value(1))
                        .andExpect(jsonPath("$.downloadedAt").isNotEmpty()));

        mvc.perform(get("/api/files/" + id + "/content").with(httpBasic(ADMIN, PASSWORD)))
                .andExpect(status().isOk())
                .andExpect(header().string(
                                "Content-Disposition", containsString("filename*=UTF-8''plan%20%C3%BCnicode.txt")))
                .andExpect(content().bytes("the plan".getBytes(StandardCharsets.UTF_8)));

        mvc.perform(get("/files").with(user(ADMIN)))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(id)))
                .andExpect(content().string(containsString("plan ünicode.txt")));

        mvc.perform(post("/files/" + id + "/delete").with(user(ADMIN))).andExpect(status().isForbidden());
        mvc.perform(post("/files/" + id + "/delete").with(user(ADMIN)).with(csrf()))
                .andExpect(status().is3xxRedirection());
        assertThat(Files.exists(chat.dataDir().resolve("files").resolve(id))).isFalse();
        // Unknown ids: problem+json like every other API error, not Spring's default error body.
        for (MockHttpServletRequestBuilder unknown :
                List.of(get("/api/files/" + id), get("/api/files/" + id + "/content"), delete("/api/files/" + id))) {
            mvc.perform(unknown.with(httpBasic(ADMIN, PASSWORD)))
                    .andExpect(status().isNotFound())
                    .andExpect(content().contentType("application/problem+json"))
                    .andExpect(jsonPath("$.detail").value("no file " + id));
        }
        try (FileClient b = FileClient.login(gateway.port(), bob)) {
            assertThat(b.get(id).reply()).isEqualTo("404 no such file " + id);
        }
        mvc.perform(get("/audit").with(user(ADMIN))).andExpect(content().string(containsString("delete file")));
    }

    @Test
    void filesNeedTheOperator() throws Exception {
        mvc.perform(get("/api/files")).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/files").with(httpBasic(ADMIN, "wrong"))).andExpect(status().isUnauthorized());
        mvc.perform(get("/files")).andExpect(status().is3xxRedirection());
        mvc.perform(get("/api/files/zzz/content")).andExpect(status().isUnauthorized());
    }
}
