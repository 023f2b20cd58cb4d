package io.chatmsg.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.chatmsg.config.ChatProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Online backups, by the store's own means. The embedded H2 database: H2's
 * {@code BACKUP TO}, a consistent copy taken while clients keep chatting, as a
 * zip holding {@code chatmsg.mv.db}; restoring is unzipping it into an empty data
 * dir. PostgreSQL: {@code pg_dump -Fc} ({@link PgDump}) when it is installed and
 * not older than the server, as {@code chatmsg-<time>Z.dump}; restoring is
 * {@code pg_restore}. Without a usable pg_dump (or on a database that is neither)
 * backups are {@link #unavailableReason() unavailable}, said once and plainly:
 * the database's own backups are the way then. Each file is for its owner only;
 * the last {@code chat.backup.keep} of the store's kind are kept (docs/operations.md).
 */
@Service
public class BackupService {

    private static final Logger log = LoggerFactory.getLogger(BackupService.class);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern ANY_BACKUP = Pattern.compile("chatmsg-\\d{8}T\\d{6}Z\\.(zip|dump)");

    /** One backup file. */
    public record Backup(String file, long bytes, Instant at) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Path dir;
    private final int keep;
    private final Duration timeout;
    /** True for the embedded H2 file (zips). */
    private final boolean embeddedH2;
    /** PostgreSQL's pg_dump, when it can be used; else null. */
    private final PgDump pgDump;
    /** What a backup is, for the dashboard. */
    private final String method;
    /** Why there are no backups here; null when there are. */
    private final String unavailable;

    BackupService(
            JdbcTemplate jdbc,
            Clock clock,
            ChatProperties chat,
            OpsProperties ops,
            @Value("${spring.datasource.url:}") String url,
            @Value("${spring.datasource.username:}") String user,
            @Value("${spring.datasource.password:}") String password) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.dir = ops.backup().dir().isBlank()
                ? chat.dataDir().resolve("backups")
                : Path.of(ops.backup().dir());
        this.keep = ops.backup().keep();
        this.timeout = ops.backup().timeout();
        this.embeddedH2 = url.startsWith("jdbc:h2:file:");
        if (embeddedH2) {
            pgDump = null;
            method = "H2's BACKUP TO, a zip of the database file";
            unavailable = null;
        } else if (url.startsWith("jdbc:postgresql:")) {
            PgDump tool = new PgDump(ops.backup().pgDump(), url, user, password);
            String why = whyUnusable(tool);
            pgDump = why == null ? tool : null;
            method = "pg_dump, custom format (restore with pg_restore)";
            unavailable = why == null
                    ? null
                    : "This database is backed up by PostgreSQL's own tools, not by the gateway: " + why
                            + ". Use pg_dump from a machine that has it, or the managed service's automatic"
                            + " backups (e.g. Azure Database for PostgreSQL's point-in-time restore);"
                            + " docs/operations.md, 'Backups'.";
        } else {
            pgDump = null;
            method = "none";
            unavailable = "The gateway backs up its embedded H2 file or a PostgreSQL database;"
                    + " back this database up with its own tools.";
        }
    }

    /** Null when pg_dump can back up this server: found, and its major version not older than the server's. */
    private String whyUnusable(PgDump tool) {
        PgDump.Version v = tool.version();
        if (v instanceof PgDump.Missing m) {
            return m.why();
        }
        int client = ((PgDump.Found) v).major();
        int server;
        try {
            Integer num = jdbc.queryForObject("SHOW server_version_num", Integer.class);
            server = num == null ? 0 : num / 10000;
        } catch (DataAccessException e) {
            return "cannot ask the server its version ("
                    + e.getMostSpecificCause().getMessage() + ")";
        }
        if (client < server) {
            return "pg_dump " + client + " is older than the server (PostgreSQL " + server + ") and cannot dump it;"
                    + " install pg_dump " + server + " or newer (chat.backup.pg-dump)";
        }
        return null;
    }

    /** Why backups cannot be taken here (what to use instead); empty when they can. */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailable);
    }

    /** What a backup here is, in a few words. */
    public String method() {
        return method;
    }

    /** Takes a backup now; synchronized so two never run at once. */
    public synchronized Backup backupNow() {
        if (unavailable != null) {
            throw new BackupsUnavailable(unavailable);
        }
        try {
            Files.createDirectories(dir);
            Instant at = clock.instant();
            String name = "chatmsg-" + TIME.format(at) + (embeddedH2 ? ".zip" : ".dump");
            Path file = dir.resolve(name).toAbsolutePath();
            if (Files.exists(file)) {
                throw new IllegalStateException("a backup was taken this very second; try again");
            }
            long t0 = System.nanoTime();
            if (embeddedH2) {
                jdbc.execute("BACKUP TO '" + file.toString().replace("'", "''") + "'");
                if (OwnerOnly.supported(file)) {
                    OwnerOnly.restrict(file); // 600 wherever chat.backup.dir is: it is the whole database
                }
            } else {
                dump(file);
            }
            Backup b = new Backup(file.toString(), Files.size(file), at);
            log.info("backup {} ({} bytes) in {} ms", file, b.bytes(), (System.nanoTime() - t0) / 1_000_000);
            prune(embeddedH2 ? ".zip" : ".dump");
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write backups to " + dir, e);
        }
    }

    /** pg_dump into a part file made owner-only before a byte is in it, renamed once complete. */
    private void dump(Path file) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Path said = file.resolveSibling(file.getFileName() + ".log");
        try {
            Files.deleteIfExists(part);
            Files.createFile(part);
            if (OwnerOnly.supported(part)) {
                OwnerOnly.restrict(part);
            }
            pgDump.dump(part, said, timeout);
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("backup interrupted", e);
        } finally {
            Files.deleteIfExists(part);
            Files.deleteIfExists(said);
        }
    }

    /** Newest first; both kinds (a store moved from H2 to PostgreSQL keeps its old zips). */
    public List<Backup> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(
                            f -> ANY_BACKUP.matcher(f.getFileName().toString()).matches())
                    .map(f -> {
                        try {
                            return new Backup(
                                    f.toAbsolutePath().toString(),
                                    Files.size(f),
                                    Files.getLastModifiedTime(f).toInstant());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sorted(Comparator.comparing((Backup b) ->
                                    Path.of(b.file()).getFileName().toString())
                            .reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Deletes all but the newest {@code keep} of one kind; the other kind's are the operator's to delete. */
    private void prune(String suffix) throws IOException {
        List<Backup> mine =
                list().stream().filter(b -> b.file().endsWith(suffix)).toList();
        for (Backup old : mine.subList(Math.min(keep, mine.size()), mine.size())) {
            Files.deleteIfExists(Path.of(old.file()));
            log.info("backup {} deleted (chat.backup.keep={})", old.file(), keep);
        }
    }

    /** Backups cannot be taken on this store; the message says what to use instead. */
    public static final class BackupsUnavailable extends IllegalStateException {
        BackupsUnavailable(String why) {
            super(why);
        }
    }
}
