package io.chatmsg.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import io.chatmsg.protocol.ClientIds;
import io.chatmsg.session.TrafficMinute;
import io.chatmsg.session.TrafficMinuteRepository;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** Traffic history that survives restarts: top talkers and one client's minutes. */
@Controller
class TrafficController {

    static final Set<Integer> WINDOWS = Set.of(1, 15, 60);
    private static final int TOP = 50;

    private final TrafficMinuteRepository minutes;
    private final Clock clock;

    TrafficController(TrafficMinuteRepository minutes, Clock clock) {
        this.minutes = minutes;
        this.clock = clock;
    }

    record Talker(
            String clientId,
            long bytesIn,
            long bytesOut,
            long messagesIn,
            long messagesOut,
            double bytesPerSec,
            double messagesPerSec) {}

    record Minute(String minute, long bytesIn, long bytesOut, long messagesIn, long messagesOut) {
        static Minute of(TrafficMinute m) {
            return new Minute(
                    Views.time(m.getMinute()), m.getBytesIn(), m.getBytesOut(), m.getMessagesIn(), m.getMessagesOut());
        }
    }

    @GetMapping("/top")
    String top(
            @RequestParam(defaultValue = "15") int minutes,
            @RequestParam(defaultValue = "bytes") String sort,
            Model model) {
        int window = WINDOWS.contains(minutes) ? minutes : 15;
        String by = "messages".equals(sort) ? "messages" : "bytes";
        model.addAttribute("minutes", window);
        model.addAttribute("sort", by);
        model.addAttribute("talkers", talkers(window, by));
        return "top";
    }

    /** The same as JSON: {@code /api/top?minutes=1|15|60&sort=bytes|messages}. */
    @GetMapping(value = "/api/top", produces = "application/json")
    @ResponseBody
    List<Talker> topApi(
            @RequestParam(defaultValue = "15") int minutes, @RequestParam(defaultValue = "bytes") String sort) {
        if (!WINDOWS.contains(minutes)) {
            throw new IllegalArgumentException("minutes must be 1, 15 or 60");
        }
        if (!sort.equals("bytes") && !sort.equals("messages")) {
            throw new IllegalArgumentException("sort must be bytes or messages");
        }
        return talkers(minutes, sort);
    }

    /** One client's last hour, minute by minute, for its chart. */
    @GetMapping(value = "/traffic/{clientId}.json", produces = "application/json")
    @ResponseBody
    List<Minute> clientMinutes(@PathVariable String clientId, @RequestParam(defaultValue = "60") int minutes) {
        int window = Math.min(Math.max(minutes, 1), 24 * 60);
        Instant since = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(window - 1L));
        return this.minutes.minutesOf(ClientIds.fold(clientId), since).stream()
                .map(Minute::of)
                .toList();
    }

    private List<Talker> talkers(int window, String sort) {
        // The current minute is still filling: the window is the last `window` minutes including it.
        Instant since = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(window - 1L));
        double seconds = window * 60.0;
        List<TrafficMinuteRepository.Talker> rows = sort.equals("messages")
                ? minutes.topByMessages(since, PageRequest.of(0, TOP))
                : minutes.topByBytes(since, PageRequest.of(0, TOP));
        return rows.stream()
                .map(t -> new Talker(
                        t.clientId(),
                        t.bytesIn(),
                        t.bytesOut(),
                        t.messagesIn(),
                        t.messagesOut(),
                        t.bytes() / seconds,
                        t.messages() / seconds))
                .toList();
    }
}
