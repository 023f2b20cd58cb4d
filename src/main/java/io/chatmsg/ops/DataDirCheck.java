package io.chatmsg.ops;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;

import io.chatmsg.cli.DataDirs;
import io.chatmsg.config.StartupProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Before anything opens the database: the data dir exists (or can be made)
 * and this user can write in it. Otherwise one clear line instead of an H2
 * stack trace (the launcher checks a data dir given on the command line or
 * in the environment before Spring starts; this catches one set anywhere else). Then the data dir becomes 700, and the files directly in it and
 * everything under the gateway's own subdirectories ({@link #OWN}) lose their
 * group and other permissions (files 600): the database holds every message
 * and the password hashes. Other subdirectories are left as they are (a data
 * dir pointed at a home directory must not have the whole home changed).
 * Files made later (H2's, uploads) get the process umask, usually 644, but sit
 * in a directory no one else may enter.
 */
class DataDirCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Logger log = LoggerFactory.getLogger(DataDirCheck.class);

    /** The subdirectories the gateway makes in the data dir. */
    static final Set<String> OWN = Set.of("files", "tls", "backups");

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        String configured = event.getEnvironment().getProperty("chat.data-dir", "./data");
        prepare(Path.of(configured).toAbsolutePath().normalize());
    }

    static void prepare(Path dir) {
        String user = System.getProperty("user.name");
        String why = DataDirs.whyUnusable(dir);
        if (why != null) {
            throw StartupProblem.configuration(
                    "the data dir " + dir + " " + why,
                    "Set chat.data-dir to a directory user " + user + " can write, or create that one.",
                    null);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StartupProblem(
                    "the data dir " + dir + " does not exist and cannot be created (" + e + ")",
                    "Create it and give it to user " + user + ", or set chat.data-dir to a directory it can write.",
                    e);
        }
        Path probe = dir.resolve(".write-test");
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw new StartupProblem(
                    "the data dir " + dir + " is not writable by user " + user + " (" + e + ")",
                    "Give user " + user + " write permission on it (chown/chmod), or set chat.data-dir elsewhere.",
                    e);
        }
        restrict(dir, user);
    }

    private static void restrict(Path dir, String user) {
        if (!OwnerOnly.supported(dir)) {
            return;
        }
        int failed = 0;
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir.toRealPath())) {
            OwnerOnly.restrict(dir.toRealPath());
            for (Path child : children) {
                if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                    failed += OwnerOnly.tryRestrict(child) ? 0 : 1;
                } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
                        && OWN.contains(child.getFileName().toString())) {
                    failed += OwnerOnly.restrictTree(child);
                }
            }
            if (failed > 0) {
                log.warn(
                        "{} file(s) in the data dir {} keep permissions for group or others: not owned by user {}",
                        failed,
                        dir,
                        user);
            }
        } catch (IOException e) {
            log.warn("could not restrict the permissions of the data dir {}: {}", dir, e.toString());
        }
    }
}
