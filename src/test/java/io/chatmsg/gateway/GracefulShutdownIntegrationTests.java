package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.ForkedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM: replies already owed are finished, then BYE server shutting down, then a clean exit. */
class GracefulShutdownIntegrationTests {

    @TempDir
    Path dataDir;

    @Test
    void sigtermFinishesPendingAcknowledgementsThenSaysBye() throws Exception {
        try (ForkedGateway server = ForkedGateway.start(
                dataDir, "--chat.limits.command-burst=100000", "--chat.limits.command-rate=100000")) {
            int port = server.awaitPort();
            try (ChatTestClient idle = ChatTestClient.login(port, "idle");
                    ChatTestClient busy = ChatTestClient.login(port, "busy")) {
                StringBuilder burst = new StringBuilder();
                for (int i = 0; i < 3000; i++) {
                    burst.append("MSG idle shutdown ").append(i).append("\r\n");
                }
                busy.sendRaw(burst.toString().getBytes(StandardCharsets.US_ASCII));
                assertThat(busy.reply()).startsWith("200 MSG ");

                int exit = server.terminate();

                assertThat(exit).as(server.output()).isIn(0, 143);
                assertThat(busy.awaitClosed()).isTrue();
                assertThat(idle.awaitClosed()).isTrue();
                List<String> lines = busy.allLines();
                assertThat(lines).last().isEqualTo("BYE server shutting down");
                assertThat(idle.allLines()).last().isEqualTo("BYE server shutting down");

                List<Long> acked = new ArrayList<>();
                for (String l : lines) {
                    // 202 once the idle client has been said goodbye to: the rest wait for it.
                    if (l.startsWith("200 MSG ") || l.startsWith("202 MSG ")) {
                        acked.add(Long.parseLong(l.substring(8)));
                    } else {
                        assertThat(l).matches("HELLO .*|200 LOGIN busy|JOIN .*|LEAVE .*|BYE server shutting down");
                    }
                }
                assertThat(acked).isNotEmpty().isSorted();
                try (Connection db = server.openDatabase()) {
                    for (long id : acked) {
                        try (PreparedStatement ps = db.prepareStatement("SELECT COUNT(*) FROM messages WHERE id = ?")) {
                            ps.setLong(1, id);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                assertThat(rs.getInt(1))
                                        .as("acknowledged message %d stored", id)
                                        .isEqualTo(1);
                            }
                        }
                    }
                    try (PreparedStatement ps = db.prepareStatement(
                                    "SELECT end_reason FROM sessions WHERE client_id IN ('idle', 'busy')");
                            ResultSet rs = ps.executeQuery()) {
                        int n = 0;
                        while (rs.next()) {
                            assertThat(rs.getString(1)).isEqualTo("server shutdown");
                            n++;
                        }
                        assertThat(n).isEqualTo(2);
                    }
                }
            }
        }
    }
}
