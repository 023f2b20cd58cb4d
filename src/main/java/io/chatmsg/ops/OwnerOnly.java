package io.chatmsg.ops;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Group and other permissions off: the data dir holds every message, the
 * password hashes, the TLS private key and the stored files. Only on file
 * systems with POSIX permissions; symbolic links are neither changed nor
 * followed (what they point at is the operator's business).
 */
final class OwnerOnly {

    private static final Set<PosixFilePermission> OWNER =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private OwnerOnly() {}

    static boolean supported(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Removes group and other permissions from {@code p}, a file or directory (not a link). */
    static void restrict(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        if (perms.retainAll(OWNER)) {
            Files.setPosixFilePermissions(p, perms);
        }
    }

    /** {@link #restrict}, false instead of an exception. */
    static boolean tryRestrict(Path p) {
        try {
            restrict(p);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * {@link #restrict Restricts} {@code dir} and every directory and file under it;
     * returns how many could not be changed (not this user's, or gone meanwhile).
     */
    static int restrictTree(Path dir) throws IOException {
        int[] failed = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                tryRestrict(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    tryRestrict(f);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                failed[0]++;
                return FileVisitResult.CONTINUE;
            }

            private void tryRestrict(Path p) {
                if (!OwnerOnly.tryRestrict(p)) {
                    failed[0]++;
                }
            }
        });
        return failed[0];
    }
}
