package io.chatmsg.admin;

import java.lang.management.ManagementFactory;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import jakarta.servlet.http.HttpServletRequest;

import io.chatmsg.chat.ChatService;
import io.chatmsg.config.NodeIdentity;
import io.chatmsg.gateway.ChatGateway;
import io.chatmsg.ops.BackupService;
import io.chatmsg.session.LatencyProperties;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionRecorder;
import io.chatmsg.session.TrafficSampler;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The live pages: overview, clients, one client, broadcast. */
@Controller
class DashboardController {

    private final SessionRecorder sessions;
    private final ChatService chat;
    private final AdminQueries queries;
    private final OperatorActions actions;
    private final TrafficSampler sampler;
    private final DatabaseSize databaseSize;
    private final BroadcastScheduler scheduler;
    private final BackupService backups;

    private final LatencyProperties latency;
    private final ChatGateway gateway;

    private final NodeIdentity node;

    DashboardController(
            SessionRecorder sessions,
            ChatService chat,
            AdminQueries queries,
            OperatorActions actions,
            TrafficSampler sampler,
            DatabaseSize databaseSize,
            BroadcastScheduler scheduler,
            BackupService backups,
            LatencyProperties latency,
            ChatGateway gateway,
            NodeIdentity node) {
        this.node = node;
        this.latency = latency;
        this.gateway = gateway;
        this.backups = backups;
        this.scheduler = scheduler;
        this.sessions = sessions;
        this.chat = chat;
        this.queries = queries;
        this.actions = actions;
        this.sampler = sampler;
        this.databaseSize = databaseSize;
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }

    @GetMapping("/")
    String overview(Model model) {
        model.addAttribute("connections", sessions.everywhere().size());
        model.addAttribute("online", chat.onlineCount());
        model.addAttribute("totals", sampler.totals());
        model.addAttribute(
                "uptime", Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime()));
        model.addAttribute("databaseBytes", databaseSize.bytes());
        model.addAttribute("backups", backups.list().stream().limit(3).toList());
        model.addAttribute("backupMethod", backups.method());
        model.addAttribute("backupsUnavailable", backups.unavailableReason().orElse(null));
        return "overview";
    }

    /** The overview chart's data: rates per second over the last minutes. */
    @GetMapping(value = "/stats.json", produces = "application/json")
    @ResponseBody
    Map<String, Object> stats() {
        return Map.of(
                "samples",
                sampler.samples(),
                "connections",
                sessions.everywhere().size(),
                "online",
                chat.onlineCount());
    }

    @GetMapping("/clients")
    String clients(Model model, ClientTable.Query query, HttpServletRequest request) {
        clientsModel(model, query, request);
        return "clients";
    }

    /** The table alone, fetched by htmx every two seconds (the visible page only). */
    @GetMapping("/clients/table")
    String clientsTable(Model model, ClientTable.Query query, HttpServletRequest request) {
        clientsModel(model, query, request);
        return "clients :: table";
    }

    private void clientsModel(Model model, ClientTable.Query query, HttpServletRequest request) {
        model.addAttribute("table", ClientTable.of(queries.liveClients(), query));
        model.addAttribute("columns", ClientColumns.of(request.getContextPath(), query));
        // For the empty state's "connect with nc <host> <port>": the port the gateway listens on.
        model.addAttribute("chatHost", request.getServerName());
        model.addAttribute("chatPort", gateway.port());
        model.addAttribute("clustered", node.clustered());
    }

    @GetMapping("/clients/{sessionId}")
    String client(@PathVariable long sessionId, Model model) {
        LiveSession s = sessions.anywhere(sessionId);
        model.addAttribute("sessionId", sessionId);
        model.addAttribute("detail", s == null ? null : Views.ClientDetail.of(s));
        String clientId = s == null ? null : s.clientId();
        model.addAttribute("clientId", clientId);
        model.addAttribute("latencyInterval", latency.interval().toSeconds() + " s");
        model.addAttribute("normalBelow", latency.normalBelow().toMillis());
        model.addAttribute("slowBelow", latency.slowBelow().toMillis());
        if (clientId != null) {
            model.addAttribute(
                    "history",
                    queries.messages(new AdminQueries.MessageFilter(null, clientId, null, null, null), 0, 20));
            model.addAttribute(
                    "pastSessions",
                    queries.sessions(new AdminQueries.SessionFilter(clientId, null, null, null), 0, 10));
        }
        return "client";
    }

    /** The client's counters and last protocol lines, refreshed by htmx. */
    @GetMapping("/clients/{sessionId}/live")
    String clientLive(@PathVariable long sessionId, Model model) {
        LiveSession s = sessions.anywhere(sessionId);
        model.addAttribute("sessionId", sessionId);
        model.addAttribute("detail", s == null ? null : Views.ClientDetail.of(s));
        return "client :: live";
    }

    /** The session's last round trips, for the client page's latency chart. */
    @GetMapping(value = "/clients/{sessionId}/rtt.json", produces = "application/json")
    @org.springframework.web.bind.annotation.ResponseBody
    java.util.List<Views.Rtt> rtt(@PathVariable long sessionId) {
        LiveSession s = sessions.anywhere(sessionId);
        return s == null ? java.util.List.of() : Views.ClientDetail.of(s).rttHistory();
    }

    @PostMapping("/clients/{sessionId}/kick")
    String kick(
            @PathVariable long sessionId,
            @RequestParam(required = false) String reason,
            Principal operator,
            HttpServletRequest request,
            RedirectAttributes flash) {
        try {
            if (actions.kick(sessionId, reason, operator.getName(), request.getRemoteAddr())) {
                flash.addFlashAttribute("notice", "Session " + sessionId + " was kicked: " + reason.trim());
            } else {
                flash.addFlashAttribute("problem", "Session " + sessionId + " is no longer connected.");
            }
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("problem", "Not kicked: " + e.getMessage() + ".");
        }
        return "redirect:/clients";
    }

    /** The preview of a bulk kick: who the criteria pick, before anything happens. */
    @GetMapping("/clients/bulk")
    String bulkPreview(Selection selection, Model model) {
        model.addAttribute("selection", selection);
        try {
            ClientSelector selector = selection.selector();
            model.addAttribute("selector", selector);
            model.addAttribute(
                    "picked",
                    actions.select(selector).stream().map(Views.Client::of).toList());
        } catch (IllegalArgumentException e) {
            model.addAttribute("problem", e.getMessage());
        }
        return "bulk";
    }

    @PostMapping("/clients/bulk/kick")
    String bulkKick(
            Selection selection,
            @RequestParam(required = false) String reason,
            Principal operator,
            HttpServletRequest request,
            RedirectAttributes flash) {
        try {
            ClientSelector selector = selection.selector();
            int n = actions.kickAll(selector, reason, operator.getName(), request.getRemoteAddr());
            flash.addFlashAttribute("notice", n + " sessions kicked (" + selector + "): " + reason.trim());
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("problem", "Nobody kicked: " + e.getMessage() + ".");
        }
        return "redirect:/clients";
    }

    @GetMapping("/broadcast")
    String broadcastForm(Model model) {
        model.addAttribute("scheduled", scheduler.recent());
        return "broadcast";
    }

    /** Now, or at {@code at} (ISO-8601 UTC; the page converts the operator's local time). */
    @PostMapping("/broadcast")
    String broadcast(
            @RequestParam(required = false) String text,
            Selection selection,
            @RequestParam(defaultValue = "false") boolean queueOffline,
            @RequestParam(required = false) String at,
            Principal operator,
            HttpServletRequest request,
            Model model) {
        model.addAttribute("text", text);
        try {
            ClientSelector to = selection.selector();
            Instant when = ApiController.instant("at", at);
            if (when == null) {
                model.addAttribute(
                        "result",
                        actions.broadcast(text, to, queueOffline, operator.getName(), request.getRemoteAddr()));
            } else {
                model.addAttribute(
                        "scheduledNow",
                        scheduler.schedule(when, text, to, queueOffline, operator.getName(), request.getRemoteAddr()));
            }
            model.addAttribute("to", to);
            model.addAttribute("text", null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            model.addAttribute("problem", e.getMessage());
        }
        model.addAttribute("scheduled", scheduler.recent());
        return "broadcast";
    }

    @PostMapping("/broadcast/scheduled/{id}/cancel")
    String cancelScheduled(
            @PathVariable long id, Principal operator, HttpServletRequest request, RedirectAttributes flash) {
        if (scheduler.cancel(id, operator.getName(), request.getRemoteAddr())) {
            flash.addFlashAttribute("notice", "Scheduled broadcast #" + id + " cancelled.");
        } else {
            flash.addFlashAttribute("problem", "Scheduled broadcast #" + id + " is no longer pending.");
        }
        return "redirect:/broadcast";
    }
}
