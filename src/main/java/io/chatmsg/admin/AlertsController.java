package io.chatmsg.admin;

import io.chatmsg.alerts.Alert;
import io.chatmsg.alerts.Alerts;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** Alerts: state changes of the gateway and of watched clients, and whether their mail went out. */
@Controller
class AlertsController {

    private static final int PAGE_SIZE = 50;

    private final Alerts alerts;

    AlertsController(Alerts alerts) {
        this.alerts = alerts;
    }

    record AlertView(
            long id,
            String raisedAt,
            String subject,
            String from,
            String to,
            String detail,
            String mailStatus,
            int mailAttempts,
            String mailError,
            String mailedAt) {
        static AlertView of(Alert a) {
            return new AlertView(
                    a.getId(),
                    Views.time(a.getRaisedAt()),
                    a.getSubject(),
                    a.getFromState(),
                    a.getToState(),
                    a.getDetail(),
                    a.getMailStatus(),
                    a.getMailAttempts(),
                    a.getMailError(),
                    Views.time(a.getMailedAt()));
        }
    }

    @GetMapping(value = "/api/alerts", produces = "application/json")
    @ResponseBody
    Views.PageOf<AlertView> api(@RequestParam(defaultValue = "0") int page) {
        return Views.PageOf.of(alerts.recent(page, PAGE_SIZE), AlertView::of);
    }

    @GetMapping("/alerts")
    String page(@RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("page", Views.PageOf.of(alerts.recent(page, PAGE_SIZE), AlertView::of));
        return "alerts";
    }
}
