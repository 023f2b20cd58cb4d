package io.chatmsg.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.chatmsg.config.ChatProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Online backups of the embedded H2 database with H2's {@code BACKUP TO}: a
 * consistent copy taken while clients keep chatting, as a zip holding
 * {@code chatmsg.mv.db}. Restoring is unzipping it into an empty data dir
 * (docs/operations.md). The last {@code chat.backup.keep} are kept.
 */
@Service
public class BackupService {

    private static final Logger log = LoggerFactory.getLogger(BackupService.class);
    private static final DateTimeFormatter NAME =
            DateTimeFormatter.ofPattern("'chatmsg-'yyyyMMdd'T'HHmmss'Z.zip'").withZone(ZoneOffset.UTC);

    /** One backup file. */
    public record Backup(String file, long bytes, Instant at) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Path dir;
    private final int keep;
    private final boolean embeddedH2;

    BackupService(
            JdbcTemplate jdbc,
            Clock clock,
            ChatProperties chat,
            OpsProperties ops,
            @Value("${spring.datasource.url:}") String url) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.dir = ops.backup().dir().isBlank()
                ? chat.dataDir().resolve("backups")
                : Path.of(ops.backup().dir());
        this.keep = ops.backup().keep();
        this.embeddedH2 = url.startsWith("jdbc:h2:file:");
    }

    /** Takes a backup now; synchronized so two never run at once. */
    public synchronized Backup backupNow() {
        if (!embeddedH2) {
            throw new IllegalStateException("backups are for the embedded H2 database; use your database's own tools");
        }
        try {
            Files.createDirectories(dir);
            Instant at = clock.instant();
            Path file = dir.resolve(NAME.format(at)).toAbsolutePath();
            if (Files.exists(file)) {
                throw new IllegalStateException("a backup was taken this very second; try again");
            }
            long t0 = System.nanoTime();
            jdbc.execute("BACKUP TO '" + file.toString().replace("'", "''") + "'");
            if (OwnerOnly.supported(file)) {
                OwnerOnly.restrict(file); // 600 wherever chat.backup.dir is: it is the whole database
            }
            Backup b = new Backup(file.toString(), Files.size(file), at);
            log.info("backup {} ({} bytes) in {} ms", file, b.bytes(), (System.nanoTime() - t0) / 1_000_000);
            prune();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write backups to " + dir, e);
        }
    }

    /** Newest first. */
    public List<Backup> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("chatmsg-.*\\.zip"))
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
                    .sorted(Comparator.comparing(Backup::file).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private void prune() throws IOException {
        List<Backup> all = list();
        for (Backup old : all.subList(Math.min(keep, all.size()), all.size())) {
            Files.deleteIfExists(Path.of(old.file()));
            log.info("backup {} deleted (chat.backup.keep={})", old.file(), keep);
        }
    }
}
