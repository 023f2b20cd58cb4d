package io.chatmsg.admin;

import java.security.Principal;
import jakarta.servlet.http.HttpServletRequest;

import io.chatmsg.account.Passwords;
import io.chatmsg.config.ChatProperties;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.UserDetailsManager;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The operator's own password, changed in the dashboard (current password required). */
@Controller
class AccountController {

    private final UserDetailsManager operators;
    private final PasswordEncoder encoder;
    private final ChatProperties chat;
    private final AuditLog audit;

    AccountController(UserDetailsManager operators, PasswordEncoder encoder, ChatProperties chat, AuditLog audit) {
        this.operators = operators;
        this.encoder = encoder;
        this.chat = chat;
        this.audit = audit;
    }

    @GetMapping("/account")
    String page() {
        return "account";
    }

    @PostMapping("/account/password")
    String change(
            @RequestParam(defaultValue = "") String current,
            @RequestParam(defaultValue = "") String password,
            @RequestParam(defaultValue = "") String confirm,
            Principal operator,
            HttpServletRequest request,
            RedirectAttributes flash) {
        UserDetails me = operators.loadUserByUsername(operator.getName());
        String problem = !encoder.matches(current, me.getPassword())
                ? "the current password is wrong"
                : !password.equals(confirm) ? "the two new passwords differ" : Passwords.problem(password);
        if (problem != null) {
            audit.record(operator.getName(), AuditLog.PASSWORD, "change refused: " + problem, request);
            flash.addFlashAttribute("problem", "Password not changed: " + problem + ".");
            return "redirect:/account";
        }
        String hash = encoder.encode(password);
        AdminAccount.storeChanged(chat.dataDir(), hash);
        operators.changePassword(current, hash);
        audit.record(operator.getName(), AuditLog.PASSWORD, "changed", request);
        flash.addFlashAttribute("notice", "Password changed. It is kept (hashed) in the data dir for the next starts.");
        return "redirect:/account";
    }
}
