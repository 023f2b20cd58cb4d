package io.chatmsg.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.chatmsg.store.GroupCommitWriter;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Never a zombie: when the database writer finds the database closed, readiness
 * goes down and the process exits (here the exit is recorded instead of ending the
 * test JVM).
 */
@Import(ProcessGuardIntegrationTests.RecordExit.class)
@TestPropertySource(properties = "chat.server-name=process-guard")
@DirtiesContext
class ProcessGuardIntegrationTests extends GatewayIntegrationTest {

    @TestConfiguration
    static class RecordExit {
        static final CompletableFuture<Integer> STATUS = new CompletableFuture<>();

        @Bean
        ProcessGuard.Exit recordingExit() {
            return STATUS::complete;
        }
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GroupCommitWriter writer;

    @Autowired
    ApplicationAvailability availability;

    @LocalServerPort
    int httpPort;

    @Test
    void aClosedDatabaseTakesReadinessDownAndExitsWithStatusOne() throws Exception {
        assertThat(readiness()).isEqualTo(200);

        jdbc.execute("SHUTDOWN");
        // The next writes meet the closed database (H2 may reopen it for a new connection:
        // keep writing until one fails the way a closed database does).
        for (int i = 0; i < 50 && !RecordExit.STATUS.isDone(); i++) {
            writer.writeDurably("UPDATE users SET last_seen = last_seen WHERE 1 = 0");
            Thread.sleep(100);
        }

        assertThat(RecordExit.STATUS.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
        assertThat(readiness()).isEqualTo(503);
    }

    private int readiness() throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + httpPort + "/actuator/health/readiness"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
