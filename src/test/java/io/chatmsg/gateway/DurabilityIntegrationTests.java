package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.ForkedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/protocol.md: an acknowledged message survives kill -9 right after its acknowledgement. */
class DurabilityIntegrationTests {

    private static final int MESSAGES = 2000;

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedMessagesSurviveKillMinusNine() throws Exception {
        Map<Long, String> acked = new HashMap<>();
        try (ForkedGateway server = ForkedGateway.start(
                dataDir, "--chat.limits.command-burst=100000", "--chat.limits.command-rate=100000")) {
            int port = server.awaitPort();
            try (ChatTestClient online = ChatTestClient.login(port, "online");
                    ChatTestClient offline = ChatTestClient.login(port, "offline");
                    ChatTestClient sender = ChatTestClient.login(port, "sender")) {
                offline.send("LOGOFF offline");
                assertThat(offline.reply()).isEqualTo("200 LOGOFF offline");
                StringBuilder burst = new StringBuilder();
                for (int i = 0; i < MESSAGES; i++) {
                    String to = i % 3 == 0 ? "offline" : i % 3 == 1 ? "online" : "ALL";
                    burst.append("MSG ")
                            .append(to)
                            .append(" durable ")
                            .append(i)
                            .append("\r\n");
                }
                sender.sendRaw(burst.toString().getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < MESSAGES; i++) {
                    String ack = sender.reply();
                    assertThat(ack).matches("20[02] MSG \\d+( \\d+)?");
                    acked.put(Long.parseLong(ack.split(" ")[2]), "durable " + i);
                }
                // The last acknowledgement has just arrived: kill the JVM now.
                int exit = server.kill();
                assertThat(exit).isEqualTo(137);
            }
            try (Connection db = server.openDatabase();
                    Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, text FROM messages")) {
                Map<Long, String> stored = new HashMap<>();
                while (rs.next()) {
                    stored.put(rs.getLong(1), rs.getString(2));
                }
                assertThat(stored).containsAllEntriesOf(acked);
            }
        }
    }
}
