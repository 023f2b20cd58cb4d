package io.chatmsg.alerts;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

import io.chatmsg.config.BoundedPool;
import io.chatmsg.config.ChatProperties;
import io.chatmsg.session.LatencyProperties;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionRecorder;
import io.chatmsg.session.UdpListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * What alerts watch: the gateway itself (a UDP {@code PING} to its own port
 * every {@code chat.alerts.gateway-interval}, classified like a client's round
 * trip, so an overloaded gateway shows as slow) and the clients named in
 * {@code chat.alerts.watch} (their latency state, or offline). A change of
 * state raises one alert. On a thread of its own ({@code latencyWatchPool}): a
 * probe waits up to {@code chat.latency.inactive-after} for its answer. Spring's
 * scheduler only says when; each check's next turn is set once it has run.
 */
@Component
class LatencyWatch {

    private static final Logger log = LoggerFactory.getLogger(LatencyWatch.class);

    private final Alerts alerts;
    private final AlertProperties properties;
    private final LatencyProperties latency;
    private final SessionRecorder sessions;
    private final UdpListener gateway;
    private final ChatProperties chat;
    private final BoundedPool thread;
    private final TaskScheduler scheduler;
    private final StateTracker states = new StateTracker();
    private long probes;

    LatencyWatch(
            Alerts alerts,
            AlertProperties properties,
            LatencyProperties latency,
            SessionRecorder sessions,
            UdpListener gateway,
            ChatProperties chat,
            @Qualifier("latencyWatchPool") BoundedPool thread,
            TaskScheduler scheduler) {
        this.alerts = alerts;
        this.properties = properties;
        this.latency = latency;
        this.sessions = sessions;
        this.gateway = gateway;
        this.chat = chat;
        this.thread = thread;
        this.scheduler = scheduler;
        if (!properties.watch().isEmpty()) {
            every(properties.checkInterval(), this::checkClients);
        }
        if (!properties.gatewayInterval().isZero()) {
            every(properties.gatewayInterval(), this::probeGateway);
        }
    }

    /** Runs {@code check} on the watch thread {@code interval} (50 ms at least) after its previous run ended. */
    private void every(Duration interval, Runnable check) {
        Duration delay = Duration.ofMillis(Math.max(50, interval.toMillis()));
        try {
            scheduler.schedule(
                    () -> runOnWatchThread(interval, check),
                    scheduler.getClock().instant().plus(delay));
        } catch (RejectedExecutionException stopping) {
            // Spring's scheduler has stopped: the application is stopping.
        }
    }

    private void runOnWatchThread(Duration interval, Runnable check) {
        try {
            thread.execute(() -> {
                try {
                    check.run();
                } finally {
                    every(interval, check);
                }
            });
        } catch (RejectedExecutionException stopping) {
            // The watch thread is gone: the application is stopping.
        }
    }

    private void checkClients() {
        try {
            Map<String, LiveSession> byId = sessions.live().stream()
                    .filter(s -> s.clientId() != null && s.control() != null)
                    .collect(Collectors.toMap(
                            s -> s.clientId().toLowerCase(Locale.ROOT), s -> s, (a, b) -> a.id() > b.id() ? a : b));
            for (String id : properties.watch()) {
                LiveSession s = byId.get(id.toLowerCase(Locale.ROOT));
                String state = s == null ? "offline" : s.latency().label();
                String before = states.changed("client " + id, state);
                if (before != null) {
                    alerts.raise("client " + id, before, state, clientDetail(id, s));
                }
            }
        } catch (RuntimeException e) {
            log.warn("checking watched clients failed: {}", e.toString());
        }
    }

    private String clientDetail(String id, LiveSession s) {
        if (s == null) {
            return id + " is not connected.";
        }
        Double rtt = s.rttPreciseMillis();
        return String.format(
                Locale.ROOT,
                "%s (session %d, %s from %s): last round trip %s; normal below %d ms, slow below %d ms,"
                        + " inactive after %s without an answer.",
                id,
                s.id(),
                s.transport(),
                s.remoteAddress(),
                rtt == null ? "not measured" : String.format(Locale.ROOT, "%.1f ms", rtt),
                latency.normalBelow().toMillis(),
                latency.slowBelow().toMillis(),
                human(latency.inactiveAfter()));
    }

    private void probeGateway() {
        int port = gateway.isRunning() ? gateway.udpPort() : -1;
        if (port <= 0) {
            return;
        }
        String host = "0.0.0.0".equals(chat.bindAddress()) || "::".equals(chat.bindAddress())
                ? "127.0.0.1"
                : chat.bindAddress();
        Double rtt = null;
        try (DatagramSocket socket = new DatagramSocket()) {
            String token = "watch" + (++probes);
            byte[] ping = ("PING " + token + "\n").getBytes(StandardCharsets.US_ASCII);
            String expected = "200 PONG " + token + "\r\n";
            long start = System.nanoTime();
            long deadline = start + latency.inactiveAfter().toNanos();
            socket.send(new DatagramPacket(ping, ping.length, new InetSocketAddress(host, port)));
            byte[] buf = new byte[256];
            while (rtt == null && System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                if (expected.equals(new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII))) {
                    rtt = (System.nanoTime() - start) / 1e6;
                }
            }
        } catch (Exception e) {
            log.debug("gateway probe failed: {}", e.toString());
        }
        String state = latency.classify(rtt, rtt == null).label();
        String before = states.changed("gateway", state);
        if (before != null) {
            alerts.raise(
                    "gateway",
                    before,
                    state,
                    rtt == null
                            ? "No answer to a UDP PING on " + host + ":" + port + " within "
                                    + human(latency.inactiveAfter()) + "."
                            : String.format(Locale.ROOT, "UDP PING to %s:%d answered in %.1f ms.", host, port, rtt));
        }
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
