package io.chatmsg.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** How pg_dump is found, asked its version and pointed at the gateway's database. */
class PgDumpTests {

    @TempDir
    Path tmp;

    @Test
    void theConnectionComesFromTheJdbcUrlWithoutThePassword() {
        PgDump d = new PgDump(
                "pg_dump",
                "jdbc:postgresql://db.example:6432/chat?sslmode=require&password=url-secret",
                "chatgw",
                "pw");
        assertThat(d.connectionString())
                .isEqualTo("host='db.example' port='6432' dbname='chat' user='chatgw' sslmode='require'")
                .doesNotContain("secret")
                .doesNotContain("pw");
    }

    @Test
    void severalHostsAndTheDefaultPort() {
        PgDump d = new PgDump("pg_dump", "jdbc:postgresql://a.example,b.example:5433/chat", "", null);
        assertThat(d.connectionString()).isEqualTo("host='a.example,b.example' port='5432,5433' dbname='chat'");
    }

    @Test
    void theMajorVersionIsReadFromVersionOutput() throws Exception {
        Path fake = tmp.resolve("pg_dump");
        Files.writeString(fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.11 (Ubuntu 14.11-0ubuntu0.22.04.1)'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        assertThat(new PgDump(fake.toString(), "jdbc:postgresql://h/db", null, null).version())
                .isEqualTo(new PgDump.Found(14));
    }

    @Test
    void aMissingProgramIsNamedWithTheProperty() {
        Path missing = tmp.resolve("no-such-pg_dump");
        assertThat(new PgDump(missing.toString(), "jdbc:postgresql://h/db", null, null).version())
                .isEqualTo(new PgDump.Missing("pg_dump was not found (chat.backup.pg-dump=" + missing + ")"));
    }

    @Test
    void somethingElseAnsweringIsNotTakenForPgDump() throws Exception {
        Path other = tmp.resolve("other");
        Files.writeString(other, "#!/bin/sh\necho 'not a dumper'\n");
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rwx------"));
        assertThat(new PgDump(other.toString(), "jdbc:postgresql://h/db", null, null).version())
                .isEqualTo(new PgDump.Missing(other + " --version said: not a dumper"));
    }
}
