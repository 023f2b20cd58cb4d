package io.chatmsg.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's lockout over real HTTP, behind a (pretend) reverse proxy:
 * with {@code server.forward-headers-strategy=framework} each request's
 * address is its X-Forwarded-For. Its own context: it locks the operator's
 * name out.
 */
@TestPropertySource(properties = {"chat.server-name=lockout", "server.forward-headers-strategy=framework"})
class DashboardLockoutTests extends GatewayIntegrationTest {

    @LocalServerPort
    int httpPort;

    private final HttpClient http = HttpClient.newHttpClient();

    private int get(String forwardedFor, String user, String password) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/clients"))
                .header("Authorization", "Basic " + basic)
                .header("X-Forwarded-For", forwardedFor)
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void guessingTheOperatorsNameInAnyCaseDoesNotLockTheOperatorOut() throws Exception {
        String guesser = "203.0.113.10";
        String[] spellings = {ADMIN, ADMIN.toUpperCase(), " " + ADMIN, "Operator"};
        for (int i = 0; i < DashboardLoginGuard.PER_USER; i++) {
            assertThat(get(guesser, spellings[i % spellings.length], "guess-" + i))
                    .isEqualTo(401);
        }
        // The guesser is refused without a check, in any spelling, even with the right password.
        assertThat(get(guesser, ADMIN, PASSWORD)).isEqualTo(429);
        assertThat(get(guesser, ADMIN.toUpperCase(), "guess")).isEqualTo(429);
        // The operator, elsewhere, still gets in (every call: HTTP Basic checks each one).
        String operator = "198.51.100.20";
        assertThat(get(operator, ADMIN, PASSWORD)).isEqualTo(200);
        assertThat(get(operator, ADMIN, PASSWORD)).isEqualTo(200);
        // Another address gets one guess at the locked name, then is refused too.
        String second = "203.0.113.11";
        assertThat(get(second, ADMIN, "another-guess")).isEqualTo(401);
        assertThat(get(second, ADMIN, PASSWORD)).isEqualTo(429);
        assertThat(get(operator, ADMIN, PASSWORD)).isEqualTo(200);
    }

    @Test
    void anAddressAtItsLimitIsRefusedForEveryNameWhileOthersAreNot() throws Exception {
        String flooder = "203.0.113.30";
        for (int i = 0; i < DashboardLoginGuard.PER_ADDRESS; i++) {
            assertThat(get(flooder, "name" + i, "guess")).isEqualTo(401);
        }
        assertThat(get(flooder, ADMIN, PASSWORD)).isEqualTo(429);
        assertThat(get(flooder, "someone-else", "guess")).isEqualTo(429);
        assertThat(get("198.51.100.31", ADMIN, PASSWORD)).isEqualTo(200);
    }
}
