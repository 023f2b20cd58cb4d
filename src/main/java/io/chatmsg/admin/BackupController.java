package io.chatmsg.admin;

import java.security.Principal;
import java.util.List;
import java.util.Optional;
import jakarta.servlet.http.HttpServletRequest;

import io.chatmsg.ops.BackupService;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Online backups: a button on the overview, and {@code /api/backups} for scripts; where the
 * store has no backups of the gateway's (PostgreSQL without pg_dump), both say what to use instead.
 */
@Controller
class BackupController {

    private final BackupService backups;
    private final AuditLog audit;

    BackupController(BackupService backups, AuditLog audit) {
        this.backups = backups;
        this.audit = audit;
    }

    record BackupView(String file, long bytes, String at) {
        static BackupView of(BackupService.Backup b) {
            return new BackupView(b.file(), b.bytes(), Views.time(b.at()));
        }
    }

    /** 201 with the new file; 409 with what to use instead where the store has no backups of the gateway's. */
    @PostMapping(value = "/api/backups", produces = "application/json")
    @ResponseBody
    ResponseEntity<?> backupApi(Principal operator, HttpServletRequest request) {
        Optional<String> unavailable = backups.unavailableReason();
        if (unavailable.isPresent()) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, unavailable.get()));
        }
        BackupView b = BackupView.of(take(operator, request));
        return ResponseEntity.status(HttpStatus.CREATED).body(b);
    }

    @GetMapping(value = "/api/backups", produces = "application/json")
    @ResponseBody
    List<BackupView> listApi() {
        return backups.list().stream().map(BackupView::of).toList();
    }

    @PostMapping("/backups")
    String backupPage(Principal operator, HttpServletRequest request, RedirectAttributes flash) {
        try {
            BackupService.Backup b = take(operator, request);
            flash.addFlashAttribute("notice", "Backup written: " + b.file() + " (" + b.bytes() + " bytes).");
        } catch (RuntimeException e) {
            flash.addFlashAttribute("problem", "Backup failed: " + e.getMessage());
        }
        return "redirect:/";
    }

    private BackupService.Backup take(Principal operator, HttpServletRequest request) {
        BackupService.Backup b = backups.backupNow();
        audit.record(operator.getName(), AuditLog.BACKUP, b.file() + " (" + b.bytes() + " bytes)", request);
        return b;
    }
}
