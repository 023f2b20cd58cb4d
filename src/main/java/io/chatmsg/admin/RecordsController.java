package io.chatmsg.admin;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The pages over what is recorded: sessions, messages (and CSV), users, audit log. */
@Controller
class RecordsController {

    private static final int PAGE_SIZE = 50;
    private static final int CSV_ROWS = 100_000;
    /** Rows per query of the CSV export; each chunk is written out before the next is read. */
    private static final int CSV_CHUNK = 1000;

    private final AdminQueries queries;
    private final AuditEntryRepository audit;
    private final OperatorActions actions;

    RecordsController(AdminQueries queries, AuditEntryRepository audit, OperatorActions actions) {
        this.actions = actions;
        this.queries = queries;
        this.audit = audit;
    }

    @GetMapping("/sessions")
    String sessions(
            @RequestParam(required = false) String clientId,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) String until,
            @RequestParam(required = false) String endReason,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        model.addAttribute("clientId", clientId);
        model.addAttribute("since", since);
        model.addAttribute("until", until);
        model.addAttribute("endReason", endReason);
        try {
            model.addAttribute(
                    "page",
                    queries.sessions(
                            new AdminQueries.SessionFilter(
                                    clientId, local("since", since), local("until", until), endReason),
                            Math.max(0, page),
                            PAGE_SIZE));
        } catch (IllegalArgumentException e) {
            model.addAttribute("problem", e.getMessage());
        }
        return "sessions";
    }

    /** The message search as the page's fields and the CSV link send it; times are ISO-8601 UTC. */
    record MessageSearch(String q, String from, String to, String since, String until) {
        AdminQueries.MessageFilter filter() {
            return new AdminQueries.MessageFilter(q, from, to, local("since", since), local("until", until));
        }
    }

    @GetMapping("/messages")
    String messages(MessageSearch search, @RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("search", search);
        try {
            model.addAttribute("page", queries.messages(search.filter(), Math.max(0, page), PAGE_SIZE));
        } catch (IllegalArgumentException e) {
            model.addAttribute("problem", e.getMessage());
        }
        return "messages";
    }

    /** The same search as a CSV file (newest first, at most 100,000 rows). */
    @GetMapping("/messages.csv")
    void messagesCsv(MessageSearch search, HttpServletResponse response) throws IOException {
        AdminQueries.MessageFilter filter;
        try {
            filter = search.filter();
        } catch (IllegalArgumentException e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"messages.csv\"");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        PrintWriter out = response.getWriter();
        out.print("id,sentAt,from,to,status,text\r\n");
        int written = 0;
        Long before = null;
        while (written < CSV_ROWS) {
            List<Views.LoggedMessage> chunk =
                    queries.messagesBefore(filter, before, Math.min(CSV_CHUNK, CSV_ROWS - written));
            for (Views.LoggedMessage m : chunk) {
                out.print(m.id() + "," + m.sentAt() + "," + csv(m.from()) + "," + csv(m.to()) + "," + m.status() + ","
                        + csv(m.text()) + "\r\n");
                written++;
                before = m.id();
            }
            if (chunk.size() < CSV_CHUNK) {
                break;
            }
        }
        out.flush();
    }

    /** Pages of 50 ids in alphabetical order (the API's list is another matter). */
    @GetMapping("/users")
    String users(@RequestParam(required = false) String id, @RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("id", id);
        model.addAttribute("page", queries.users(id, Math.max(0, page), PAGE_SIZE));
        return "users";
    }

    @PostMapping("/users/{id}/password")
    String resetPassword(
            @PathVariable String id,
            @RequestParam(required = false) String password,
            Principal operator,
            HttpServletRequest request,
            RedirectAttributes flash) {
        try {
            if (actions.resetPassword(id, password, operator.getName(), request.getRemoteAddr())) {
                flash.addFlashAttribute("notice", "Password of " + id + " changed: it needs the new one to log in.");
            } else {
                flash.addFlashAttribute("problem", "No user " + id + ".");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            flash.addFlashAttribute("problem", "Password not changed: " + e.getMessage() + ".");
        }
        return "redirect:/users";
    }

    @PostMapping("/users/{id}/delete")
    String deleteUser(
            @PathVariable String id, Principal operator, HttpServletRequest request, RedirectAttributes flash) {
        if (actions.deleteUser(id, operator.getName(), request.getRemoteAddr())) {
            flash.addFlashAttribute("notice", "User " + id + " deleted (its messages stay in the log).");
        } else {
            flash.addFlashAttribute("problem", "No user " + id + ".");
        }
        return "redirect:/users";
    }

    @GetMapping("/audit")
    String audit(@RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute(
                "page",
                Views.PageOf.of(
                        audit.findAll(PageRequest.of(Math.max(0, page), PAGE_SIZE, Sort.by(Sort.Direction.DESC, "id"))),
                        Views.Audit::of));
        return "audit";
    }

    /** The filter fields take ISO-8601 UTC times, as the API does. */
    private static Instant local(String name, String value) {
        return ApiController.instant(name, value);
    }

    /** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
    static String csv(String s) {
        if (s == null) {
            return "";
        }
        String v = mayRunAsFormula(s) ? "'" + s : s;
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }

    /**
     * OWASP's list ({@code = + - @}, TAB, CR), also after leading blanks:
     * spreadsheets trim {@code " =1+1"} and run it.
     */
    private static boolean mayRunAsFormula(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\r' || c == '\n' || "=+-@".indexOf(c) >= 0) {
                return true;
            }
            if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
                return false;
            }
        }
        return false;
    }
}
