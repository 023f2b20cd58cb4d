package io.chatmsg.admin;

import java.security.Principal;
import java.util.List;
import jakarta.servlet.http.HttpServletRequest;

import io.chatmsg.account.Bans;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Bans of ids and addresses: the page and the API. */
@Controller
class BansController {

    private final OperatorActions actions;

    BansController(OperatorActions actions) {
        this.actions = actions;
    }

    record BanRequest(String reason, String until) {}

    record AddressBanRequest(String address, String reason, String until) {}

    record BanView(String kind, String value, String reason, String createdBy, String createdAt, String expiresAt) {
        static BanView of(Bans.Ban b) {
            return new BanView(
                    b.kind(),
                    b.value(),
                    b.reason(),
                    b.createdBy(),
                    Views.time(b.createdAt()),
                    Views.time(b.expiresAt()));
        }
    }

    // API -----------------------------------------------------------------------------

    @PostMapping(value = "/api/users/{id}/ban", produces = "application/json")
    @ResponseBody
    BanView banIdApi(@PathVariable String id, @RequestBody BanRequest body, Principal op, HttpServletRequest req) {
        return BanView.of(actions.banId(
                id, body.reason(), ApiController.instant("until", body.until()), op.getName(), req.getRemoteAddr()));
    }

    @DeleteMapping("/api/users/{id}/ban")
    ResponseEntity<Void> unbanIdApi(@PathVariable String id, Principal op, HttpServletRequest req) {
        if (!actions.unban(Bans.ID, id, op.getName(), req.getRemoteAddr())) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no ban of id " + id);
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping(value = "/api/bans/addresses", produces = "application/json")
    @ResponseBody
    BanView banAddressApi(@RequestBody AddressBanRequest body, Principal op, HttpServletRequest req) {
        return BanView.of(actions.banAddress(
                body.address(),
                body.reason(),
                ApiController.instant("until", body.until()),
                op.getName(),
                req.getRemoteAddr()));
    }

    @DeleteMapping("/api/bans/addresses")
    ResponseEntity<Void> unbanAddressApi(@RequestParam String address, Principal op, HttpServletRequest req) {
        if (!actions.unban(Bans.ADDRESS, address, op.getName(), req.getRemoteAddr())) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no ban of address " + address);
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping(value = "/api/bans", produces = "application/json")
    @ResponseBody
    List<BanView> bansApi() {
        return actions.bans().stream().map(BanView::of).toList();
    }

    // Page ----------------------------------------------------------------------------

    @GetMapping("/bans")
    String page(Model model) {
        model.addAttribute("bans", actions.bans().stream().map(BanView::of).toList());
        return "bans";
    }

    @PostMapping("/bans")
    String ban(
            @RequestParam String kind,
            @RequestParam(required = false) String value,
            @RequestParam(required = false) String reason,
            @RequestParam(required = false) String until,
            Principal op,
            HttpServletRequest req,
            RedirectAttributes flash) {
        try {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(Bans.ID.equals(kind) ? "id is required" : "address is required");
            }
            var when = ApiController.instant("until", until);
            if (Bans.ID.equals(kind)) {
                actions.banId(value.trim(), reason, when, op.getName(), req.getRemoteAddr());
            } else {
                actions.banAddress(value.trim(), reason, when, op.getName(), req.getRemoteAddr());
            }
            flash.addFlashAttribute("notice", "Banned " + kind + " " + value.trim() + ".");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("problem", "Not banned: " + e.getMessage() + ".");
        }
        return "redirect:/bans";
    }

    @PostMapping("/bans/lift")
    String lift(
            @RequestParam String kind,
            @RequestParam String value,
            Principal op,
            HttpServletRequest req,
            RedirectAttributes flash) {
        if (actions.unban(kind, value, op.getName(), req.getRemoteAddr())) {
            flash.addFlashAttribute("notice", "The ban of " + kind + " " + value + " is lifted.");
        } else {
            flash.addFlashAttribute("problem", "There is no ban of " + kind + " " + value + ".");
        }
        return "redirect:/bans";
    }
}
