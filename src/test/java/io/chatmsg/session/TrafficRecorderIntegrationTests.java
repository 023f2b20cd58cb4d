package io.chatmsg.session;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficRecorderIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    TrafficRecorder recorder;

    @Autowired
    TrafficMinuteRepository minutes;

    @Autowired
    SessionRecordRepository sessionRecords;

    @Autowired
    SessionRecorder sessions;

    @Test
    void liveCountersReachTheSessionRowAndTheClientsMinute() throws Exception {
        String id = uniqueId("Talker");
        ChatTestClient c = login(id);
        for (int i = 0; i < 5; i++) {
            c.send("MSG " + id + " chatter " + i);
            assertThat(c.reply()).startsWith("200 MSG");
        }
        LiveSession live = sessions.live().stream()
                .filter(s -> id.equals(s.clientId()))
                .findFirst()
                .orElseThrow();
        recorder.flush();

        SessionRecord row = eventually(() -> {
            SessionRecord r = sessionRecords.findById(live.id()).orElseThrow();
            return r.getMessagesIn() == 5 ? r : null;
        });
        assertThat(row.getBytesIn()).isGreaterThan(0);
        assertThat(row.getDisconnectedAt()).isNull();

        Instant since = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(1, ChronoUnit.MINUTES);
        List<TrafficMinute> mine = eventually(() -> {
            List<TrafficMinute> m = minutes.minutesOf(id.toLowerCase(), since);
            return m.isEmpty() ? null : m;
        });
        assertThat(mine.stream().mapToLong(TrafficMinute::getMessagesIn).sum()).isEqualTo(5);
        assertThat(mine.get(0).getClientId()).isEqualTo(id);

        // A second flush adds only what happened since the first: nothing is counted twice.
        c.send("MSG " + id + " one more");
        assertThat(c.reply()).startsWith("200 MSG");
        c.close();
        assertThat(eventually(() -> sessions.live(live.id()) == null ? true : null))
                .isTrue();
        recorder.flush();
        long total = eventually(() -> {
            long sum = minutes.minutesOf(id.toLowerCase(), since).stream()
                    .mapToLong(TrafficMinute::getMessagesIn)
                    .sum();
            return sum == 6 ? sum : null;
        });
        assertThat(total).isEqualTo(6);
        assertThat(minutes.topByMessages(since, PageRequest.of(0, 1000)))
                .anySatisfy(t -> assertThat(t.clientId()).isEqualTo(id));
    }

    private static <T> T eventually(Supplier<T> probe) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("condition not met within 5 s");
    }
}
