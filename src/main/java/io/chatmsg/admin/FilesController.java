package io.chatmsg.admin;

import java.security.Principal;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import jakarta.servlet.http.HttpServletRequest;

import io.chatmsg.files.FileStore;
import io.chatmsg.files.StoredFile;
import org.springframework.core.io.FileSystemResource;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Files sent with PUT: who to whom, name, size, when, fetched or not; the
 * operator may download one or delete it (audited). Page and API.
 */
@Controller
class FilesController {

    private static final int PAGE_SIZE = 50;

    private final FileStore files;
    private final AuditLog audit;

    FilesController(FileStore files, AuditLog audit) {
        this.files = files;
        this.audit = audit;
    }

    record FileView(
            String id,
            String from,
            String to,
            String name,
            long size,
            String sha256,
            String sentAt,
            int downloads,
            String downloadedAt,
            boolean notified) {
        static FileView of(StoredFile f) {
            return new FileView(
                    f.getId(),
                    f.getFromId(),
                    f.getToId(),
                    f.getName(),
                    f.getSize(),
                    f.getSha256(),
                    Views.time(f.getCreatedAt()),
                    f.getDownloads(),
                    Views.time(f.getDownloadedAt()),
                    f.isNotified());
        }

        /** For the page: with a unit, as the other pages show bytes. */
        public String sizeText() {
            return Views.bytes(size);
        }
    }

    private Views.PageOf<FileView> page(String clientId, int page) {
        String who =
                clientId == null || clientId.isBlank() ? null : clientId.trim().toLowerCase(Locale.ROOT);
        return Views.PageOf.of(files.page(who, PageRequest.of(Math.max(0, page), PAGE_SIZE)), FileView::of);
    }

    // API -----------------------------------------------------------------------------

    @GetMapping(value = "/api/files", produces = "application/json")
    @ResponseBody
    Views.PageOf<FileView> list(
            @RequestParam(required = false) String clientId, @RequestParam(defaultValue = "0") int page) {
        return page(clientId, page);
    }

    @GetMapping(value = "/api/files/{id}", produces = "application/json")
    @ResponseBody
    FileView one(@PathVariable String id) {
        return FileView.of(existing(id));
    }

    /** The bytes, as an attachment with the sender's name; also the dashboard's download link. */
    @GetMapping({"/api/files/{id}/content", "/files/{id}/content"})
    ResponseEntity<FileSystemResource> content(@PathVariable String id, Principal op, HttpServletRequest req) {
        StoredFile f = existing(id);
        audit.record(op.getName(), "download file", f.getId() + " " + f.getName(), req);
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(f.getSize())
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(f.getName(), java.nio.charset.StandardCharsets.UTF_8)
                                .build()
                                .toString())
                .header("X-Content-SHA256", f.getSha256())
                .body(new FileSystemResource(files.content(f)));
    }

    @DeleteMapping("/api/files/{id}")
    ResponseEntity<Void> deleteApi(@PathVariable String id, Principal op, HttpServletRequest req) throws Exception {
        if (!delete(id, op, req)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no file " + id);
        }
        return ResponseEntity.noContent().build();
    }

    private boolean delete(String id, Principal op, HttpServletRequest req) throws Exception {
        StoredFile f = files.get(id);
        if (f == null || !files.delete(id).get(10, TimeUnit.SECONDS)) {
            return false;
        }
        audit.record(op.getName(), "delete file", f.getId() + " " + f.getName() + " from " + f.getFromId(), req);
        return true;
    }

    private StoredFile existing(String id) {
        StoredFile f = files.get(id);
        if (f == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no file " + id);
        }
        return f;
    }

    // Page ----------------------------------------------------------------------------

    @GetMapping("/files")
    String pageView(
            @RequestParam(required = false) String clientId, @RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("clientId", clientId);
        model.addAttribute("page", page(clientId, page));
        return "files";
    }

    @PostMapping("/files/{id}/delete")
    String deletePage(@PathVariable String id, Principal op, HttpServletRequest req, RedirectAttributes flash)
            throws Exception {
        if (delete(id, op, req)) {
            flash.addFlashAttribute("notice", "Deleted file " + id + ".");
        } else {
            flash.addFlashAttribute("problem", "There is no file " + id + ".");
        }
        return "redirect:/files";
    }
}
