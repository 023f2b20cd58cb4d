package io.chatmsg.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The data dir ends up 700 and the gateway's files in it 600, whatever they were. */
class DataDirCheckTests {

    @TempDir
    Path tmp;

    @BeforeEach
    void posixOnly() {
        boolean posix = OwnerOnly.supported(tmp);
        if (!posix && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI runs on Linux: POSIX permissions must be there");
        }
        assumeTrue(posix, "POSIX permissions");
    }

    @Test
    void aNewDataDirIsMadeOwnerOnly() throws Exception {
        Path dir = tmp.resolve("a").resolve("data");
        DataDirCheck.prepare(dir);
        assertThat(mode(dir)).isEqualTo("rwx------");
    }

    @Test
    void anExistingDataDirAndTheGatewaysFilesLoseGroupAndOtherPermissions() throws Exception {
        Path dir = dir(tmp.resolve("data"));
        Path db = file(dir.resolve("chatmsg.mv.db"));
        Path hash = file(dir.resolve("admin-password.hash"));
        Path files = dir(dir.resolve("files"));
        Path incoming = dir(files.resolve("incoming"));
        Path upload = file(files.resolve("k3xq7d2mzp4a"));
        Path key = file(dir(dir.resolve("tls")).resolve("private-key.pem"));
        // Not the gateway's: a subdirectory it did not make, and a link out of the data dir.
        Path foreign = dir(dir.resolve("notes"));
        Path foreignFile = file(foreign.resolve("todo.txt"));
        Path outside = file(tmp.resolve("outside.txt"));
        Files.createSymbolicLink(dir.resolve("link.txt"), outside);

        DataDirCheck.prepare(dir);

        assertThat(mode(dir)).isEqualTo("rwx------");
        for (Path p : new Path[] {db, hash, upload, key}) {
            assertThat(mode(p)).as(p.toString()).isEqualTo("rw-------");
        }
        assertThat(mode(files)).isEqualTo("rwx------");
        assertThat(mode(incoming)).isEqualTo("rwx------");
        assertThat(mode(foreign)).isEqualTo("rwxr-xr-x");
        assertThat(mode(foreignFile)).isEqualTo("rw-r--r--");
        assertThat(mode(outside)).isEqualTo("rw-r--r--");
    }

    private static Path dir(Path p) throws IOException {
        Files.createDirectories(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static Path file(Path p) throws IOException {
        Files.writeString(p, "secret");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        return p;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
