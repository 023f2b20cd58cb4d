package io.chatmsg.admin;

import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import jakarta.servlet.http.HttpServletRequest;

import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionRecorder;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The REST API (the README lists it). Errors are problem+json (see {@link ApiErrors}). */
@RestController
@RequestMapping("/api")
class ApiController {

    private final SessionRecorder sessions;
    private final AdminQueries queries;
    private final OperatorActions actions;
    private final BroadcastScheduler scheduler;

    ApiController(
            SessionRecorder sessions, AdminQueries queries, OperatorActions actions, BroadcastScheduler scheduler) {
        this.scheduler = scheduler;
        this.sessions = sessions;
        this.queries = queries;
        this.actions = actions;
    }

    record KickRequest(String reason) {}

    record BroadcastRequest(String text, Selection to, Boolean queueOffline, String at) {}

    record Scheduled(
            long scheduledId,
            String at,
            String status,
            String text,
            Long messageId,
            Integer recipients,
            Integer queued,
            String outcome) {
        static Scheduled of(ScheduledBroadcast b) {
            return new Scheduled(
                    b.getId(),
                    Views.time(b.getDueAt()),
                    b.getStatus(),
                    b.getText(),
                    b.getMessageId(),
                    b.getRecipients(),
                    b.getQueued(),
                    b.getOutcome());
        }
    }

    record BulkKickRequest(
            String reason, String idPrefix, String address, String transport, Double minMessagesPerMinute) {}

    record BulkKickResult(int kicked) {}

    /** Live sessions; with any selection parameter, only those it picks (the preview of a bulk action). */
    @GetMapping("/clients")
    List<Views.Client> clients(Selection selection) {
        ClientSelector selector = selection.selector();
        if (selector.isEmpty()) {
            return queries.liveClients();
        }
        return actions.select(selector).stream().map(Views.Client::of).toList();
    }

    /** Kicks every live session the body's criteria pick (at least one is required). */
    @PostMapping("/clients/kick")
    BulkKickResult kickAll(@RequestBody BulkKickRequest body, Principal operator, HttpServletRequest request) {
        ClientSelector selector =
                new ClientSelector(body.idPrefix(), body.address(), body.transport(), body.minMessagesPerMinute());
        return new BulkKickResult(
                actions.kickAll(selector, body.reason(), operator.getName(), request.getRemoteAddr()));
    }

    @GetMapping("/clients/{sessionId}")
    Views.ClientDetail client(@PathVariable long sessionId) {
        LiveSession s = sessions.anywhere(sessionId);
        if (s == null) {
            throw noSuchSession(sessionId);
        }
        return Views.ClientDetail.of(s);
    }

    @PostMapping("/clients/{sessionId}/kick")
    ResponseEntity<Void> kick(
            @PathVariable long sessionId,
            @RequestBody KickRequest body,
            Principal operator,
            HttpServletRequest request) {
        if (!actions.kick(sessionId, body.reason(), operator.getName(), request.getRemoteAddr())) {
            throw noSuchSession(sessionId);
        }
        return ResponseEntity.noContent().build();
    }

    /** Now (200 with the result), or later when {@code at} is given (202 with the scheduled broadcast). */
    @PostMapping("/broadcast")
    ResponseEntity<Object> broadcast(
            @RequestBody BroadcastRequest body, Principal operator, HttpServletRequest request) {
        ClientSelector to = body.to() == null
                ? new ClientSelector(null, null, null, null)
                : body.to().selector();
        boolean queue = Boolean.TRUE.equals(body.queueOffline());
        Instant at = instant("at", body.at());
        if (at == null) {
            return ResponseEntity.ok(
                    actions.broadcast(body.text(), to, queue, operator.getName(), request.getRemoteAddr()));
        }
        ScheduledBroadcast b =
                scheduler.schedule(at, body.text(), to, queue, operator.getName(), request.getRemoteAddr());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Scheduled.of(b));
    }

    @GetMapping("/broadcasts/scheduled")
    List<Scheduled> scheduled() {
        return scheduler.recent().stream().map(Scheduled::of).toList();
    }

    @DeleteMapping("/broadcasts/scheduled/{id}")
    ResponseEntity<Void> cancelScheduled(@PathVariable long id, Principal operator, HttpServletRequest request) {
        if (!scheduler.cancel(id, operator.getName(), request.getRemoteAddr())) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no pending scheduled broadcast " + id);
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/sessions")
    Views.PageOf<Views.Session> sessions(
            @RequestParam(required = false) String clientId,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) String until,
            @RequestParam(required = false) String endReason,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        return queries.sessions(
                new AdminQueries.SessionFilter(clientId, instant("since", since), instant("until", until), endReason),
                page,
                size);
    }

    @GetMapping("/messages")
    Views.PageOf<Views.LoggedMessage> messages(
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) String until,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        return queries.messages(
                new AdminQueries.MessageFilter(q, from, to, instant("since", since), instant("until", until)),
                page,
                size);
    }

    record PasswordRequest(String password) {}

    /** Sets a known user's password (it then needs it to LOGIN). 204; 404 unknown id. */
    @PostMapping("/users/{id}/password")
    ResponseEntity<Void> resetPassword(
            @PathVariable String id,
            @RequestBody PasswordRequest body,
            Principal operator,
            HttpServletRequest request) {
        if (!actions.resetPassword(id, body.password(), operator.getName(), request.getRemoteAddr())) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such user " + id);
        }
        return ResponseEntity.noContent().build();
    }

    /** Forgets a user (its messages stay); its live session is closed. 204; 404 unknown id. */
    @DeleteMapping("/users/{id}")
    ResponseEntity<Void> deleteUser(@PathVariable String id, Principal operator, HttpServletRequest request) {
        if (!actions.deleteUser(id, operator.getName(), request.getRemoteAddr())) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such user " + id);
        }
        return ResponseEntity.noContent().build();
    }

    /** Known ids in id order, a page at a time; {@code id}: only those starting with it. */
    @GetMapping("/users")
    Views.PageOf<Views.KnownUser> users(
            @RequestParam(required = false) String id,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        return queries.users(id, page, size);
    }

    /** An ISO-8601 instant ({@code 2026-11-22T10:00:00Z}) or nothing. */
    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + " must be an ISO-8601 UTC time such as 2026-11-22T10:00:00Z, not '" + value + "'");
        }
    }

    private static ResponseStatusException noSuchSession(long id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no live session " + id);
    }
}
