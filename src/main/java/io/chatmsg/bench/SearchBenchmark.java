package io.chatmsg.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.chatmsg.bench.Report.millis;

/**
 * {@code bench HOST HTTP-PORT --scenario search --admin-password P}: the
 * dashboard's message search as the operator's API call ({@code GET
 * /api/messages?q=TERM}, first page of 20) against a running gateway, signed in
 * once through the dashboard's login form as {@code admin} and riding its session,
 * as the dashboard's own pages do (with HTTP Basic instead, every request would also
 * pay for checking the password's bcrypt hash: measured once and reported apart, as
 * {@code basic_auth_ms}), for {@link SearchCorpus#terms()} in turn (common to absent),
 * one request at a time, after one warm-up round, until {@code --duration} has
 * passed (at least three rounds). Reports p50/p95/p99 over all requests and per
 * term, with the term's number of matches ({@code totalElements}).
 */
final class SearchBenchmark {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    /** A term no message has: the request costs what the server spends around the query. */
    private static final String NOWHERE = "qxqxq";

    private SearchBenchmark() {}

    record Term(
            String term,
            long matches,
            @JsonProperty("p50_ms") BigDecimal p50Ms,
            @JsonProperty("p95_ms") BigDecimal p95Ms) {}

    record Latency(BigDecimal p50, BigDecimal p95, BigDecimal p99, BigDecimal max, long count) {
        static Latency of(Histogram micros) {
            return new Latency(
                    millis(micros.getValueAtPercentile(50)),
                    millis(micros.getValueAtPercentile(95)),
                    millis(micros.getValueAtPercentile(99)),
                    millis(micros.getMaxValue()),
                    micros.getTotalCount());
        }
    }

    record SearchReport(
            String scenario,
            String host,
            int port,
            long errors,
            @JsonProperty("latency_ms") Latency latencyMs,
            @JsonProperty("basic_auth_ms") BigDecimal basicAuthMs,
            List<Term> terms) {}

    static SearchReport run(String host, int port, String password, Duration duration)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .cookieHandler(new CookieManager())
                .build();
        String base = "http://" + host + ":" + port;
        String basic =
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        long b0 = System.nanoTime();
        int basicStatus = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/messages?size=1&q=" + NOWHERE))
                                .header("Authorization", basic)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
        BigDecimal basicAuthMs = basicStatus == 200 ? millis((System.nanoTime() - b0) / 1000) : null;
        signIn(http, base, password);
        JsonMapper json = JsonMapper.builder().build();
        List<String> terms = new SearchCorpus().terms();
        Histogram all = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        Map<String, Histogram> perTerm = new LinkedHashMap<>();
        Map<String, Long> matches = new LinkedHashMap<>();
        long errors = 0;
        long end = Long.MAX_VALUE;
        for (int round = 0; round < 4 || System.nanoTime() < end; round++) {
            if (round == 1) {
                end = System.nanoTime() + duration.toNanos(); // round 0 was the warm-up
            }
            for (String term : terms) {
                URI uri =
                        URI.create(base + "/api/messages?size=20&q=" + URLEncoder.encode(term, StandardCharsets.UTF_8));
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofMinutes(5))
                        .GET()
                        .build();
                long t0 = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long micros = (System.nanoTime() - t0) / 1000;
                if (response.statusCode() != 200) {
                    errors++;
                    continue;
                }
                if (round == 0) {
                    JsonNode page = json.readTree(response.body());
                    matches.put(term, page.path("totalElements").asLong());
                    continue;
                }
                all.recordValue(micros);
                perTerm.computeIfAbsent(term, t -> new Histogram(TimeUnit.MINUTES.toMicros(10), 3))
                        .recordValue(micros);
            }
        }
        List<Term> out = new ArrayList<>();
        perTerm.forEach((term, h) -> out.add(new Term(
                term,
                matches.getOrDefault(term, -1L),
                millis(h.getValueAtPercentile(50)),
                millis(h.getValueAtPercentile(95)))));
        return new SearchReport("search", host, port, errors, Latency.of(all), basicAuthMs, out);
    }

    /** The dashboard's form login: its CSRF token from the page, then the form; the session stays in the cookies. */
    private static void signIn(HttpClient http, String base, String password) throws IOException, InterruptedException {
        String page = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher token = CSRF.matcher(page);
        if (!token.find()) {
            throw new IOException("no CSRF token on " + base + "/login");
        }
        String form = "username=admin&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf="
                + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
        HttpResponse<Void> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        String to = r.headers().firstValue("Location").orElse("");
        if (r.statusCode() != 302 || to.contains("error")) {
            throw new IOException("the dashboard refused the login (wrong --admin-password?)");
        }
    }
}
