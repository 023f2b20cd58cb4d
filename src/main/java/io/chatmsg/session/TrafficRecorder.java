package io.chatmsg.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.chatmsg.store.GroupCommitWriter;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every few seconds: writes each live session's counters to its row (so a
 * crash loses seconds of counters, never more), and adds what each client
 * sent and received since the last time to its per-minute bucket. All
 * through the group-commit writer, off the event loops.
 */
@Component
public class TrafficRecorder {

    private static final String FLUSH_SESSION = "UPDATE sessions SET bytes_in = ?, bytes_out = ?, lines_in = ?,"
            + " lines_out = ?, messages_in = ?, messages_out = ? WHERE id = ? AND disconnected_at IS NULL";
    private static final String ADD_MINUTE = "MERGE INTO traffic_minutes t USING (VALUES (CAST(? AS VARCHAR(32)),"
            + " CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(32)), CAST(? AS BIGINT), CAST(? AS BIGINT),"
            + " CAST(? AS BIGINT), CAST(? AS BIGINT))) AS s(client_key, minute_start, client_id, bytes_in, bytes_out,"
            + " messages_in, messages_out) ON t.client_key = s.client_key AND t.minute_start = s.minute_start"
            + " WHEN MATCHED THEN UPDATE SET bytes_in = t.bytes_in + s.bytes_in, bytes_out = t.bytes_out + s.bytes_out,"
            + " messages_in = t.messages_in + s.messages_in, messages_out = t.messages_out + s.messages_out"
            + " WHEN NOT MATCHED THEN INSERT (client_key, minute_start, client_id, bytes_in, bytes_out, messages_in,"
            + " messages_out) VALUES (s.client_key, s.minute_start, s.client_id, s.bytes_in, s.bytes_out, s.messages_in,"
            + " s.messages_out)";

    private final SessionRecorder sessions;
    private final GroupCommitWriter writer;
    private final Clock clock;
    private final Duration retention;

    TrafficRecorder(SessionRecorder sessions, GroupCommitWriter writer, Clock clock, TrafficProperties properties) {
        this.sessions = sessions;
        this.writer = writer;
        this.clock = clock;
        this.retention = properties.retention();
    }

    @Scheduled(fixedDelayString = "${chat.traffic.flush-interval:5s}")
    void flush() {
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Map<String, long[]> perClient = new HashMap<>();
        Map<String, String> displayIds = new HashMap<>();
        for (LiveSession s : sessions.live()) {
            long[] delta = s.trafficSinceLastCount();
            if (delta[0] + delta[1] == 0) {
                continue; // not a byte either way since the last flush: its row is already right
            }
            writer.write(
                    FLUSH_SESSION,
                    s.bytesIn(),
                    s.bytesOut(),
                    s.linesIn(),
                    s.linesOut(),
                    s.messagesIn(),
                    s.messagesOut(),
                    s.id());
            accumulate(s, delta, perClient, displayIds);
        }
        for (LiveSession s; (s = sessions.pollClosed()) != null; ) {
            accumulate(s, s.trafficSinceLastCount(), perClient, displayIds);
        }
        perClient.forEach((key, d) -> {
            if (d[0] + d[1] + d[2] + d[3] > 0) {
                writer.write(ADD_MINUTE, key, minute, displayIds.get(key), d[0], d[1], d[2], d[3]);
            }
        });
    }

    /** Adds {@code delta}, what {@code s} did since it was last counted, to its client's total. */
    private static void accumulate(
            LiveSession s, long[] delta, Map<String, long[]> perClient, Map<String, String> displayIds) {
        String id = s.clientId();
        if (id != null) {
            String key = id.toLowerCase(Locale.ROOT);
            long[] sum = perClient.computeIfAbsent(key, k -> new long[4]);
            for (int i = 0; i < 4; i++) {
                sum[i] += delta[i];
            }
            displayIds.put(key, id);
        }
    }

    @Scheduled(fixedDelay = 3_600_000, initialDelay = 60_000)
    void deleteOldMinutes() {
        writer.write(
                "DELETE FROM traffic_minutes WHERE minute_start < ?",
                clock.instant().minus(retention));
    }
}
