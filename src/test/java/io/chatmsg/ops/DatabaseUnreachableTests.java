package io.chatmsg.ops;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.JarLikeCommand;
import io.chatmsg.support.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gateway started as a user starts it, on a PostgreSQL database it cannot use: exit
 * status 2 and one line on stderr naming the URL (never the password) and what to check,
 * and no stack trace of the pool's or Flyway's in the log.
 */
class DatabaseUnreachableTests {

    private static final String PASSWORD = "s3cret-never-shown";

    @TempDir
    Path dataDir;

    @Test
    void nothingListeningOnThePort() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:1/nope";
        Result r = start(url, "chat");
        r.assertOneLine("chat-gateway: cannot connect to the database " + url
                + " as user chat: Connection to 127.0.0.1:1 refused.");
        assertThat(r.err).contains("Check that PostgreSQL runs at that host and port");
    }

    @Test
    void unknownHost() throws Exception {
        Result r = start("jdbc:postgresql://no-such-host.invalid:5432/chat?password=" + PASSWORD, "chat");
        r.assertOneLine("chat-gateway: cannot connect to the database"
                + " jdbc:postgresql://no-such-host.invalid:5432/chat?password=*** as user chat:"
                + " unknown host no-such-host.invalid; Check the host name in spring.datasource.url");
    }

    @Test
    void noSuchDatabase() throws Exception {
        assumePostgresRuns();
        String url = "jdbc:postgresql://" + TestStore.HOST + ":" + TestStore.PORT + "/chatmsg_no_such_db";
        Result r = start(url, "postgres");
        r.assertOneLine("chat-gateway: cannot connect to the database " + url
                + " as user postgres: FATAL: database \"chatmsg_no_such_db\" does not exist; Create that database");
    }

    @Test
    void noSuchUser() throws Exception {
        assumePostgresRuns();
        String url = "jdbc:postgresql://" + TestStore.HOST + ":" + TestStore.PORT + "/postgres";
        Result r = start(url, "chatmsg_no_such_user");
        r.assertOneLine("chat-gateway: cannot connect to the database " + url
                + " as user chatmsg_no_such_user: FATAL: role \"chatmsg_no_such_user\" does not exist;"
                + " Check spring.datasource.username and spring.datasource.password, and that the server lets");
    }

    /**
     * The local PostgreSQL trusts every local connection (it never asks for a password), so a
     * server that asks for one and refuses it stands in: the first exchange of PostgreSQL's
     * protocol, as a server with password authentication answers a wrong password.
     */
    @Test
    void wrongPassword() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread refuser = new Thread(() -> refusePassword(server), "refuses-the-password");
            refuser.setDaemon(true);
            refuser.start();
            String url = "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/chat";
            Result r = start(url, "chat");
            r.assertOneLine("chat-gateway: cannot connect to the database " + url
                    + " as user chat: FATAL: password authentication failed for user \"chat\";"
                    + " Check spring.datasource.username and spring.datasource.password.");
        }
    }

    private static void refusePassword(ServerSocket server) {
        try (Socket s = server.accept()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            int code;
            do { // SSLRequest / GSSENCRequest first: "N", not supported
                int length = in.readInt();
                code = in.readInt();
                in.skipNBytes(length - 8);
                if (code == 80877103 || code == 80877104) {
                    out.writeByte('N');
                    out.flush();
                }
            } while (code == 80877103 || code == 80877104);
            out.writeByte('R'); // AuthenticationCleartextPassword
            out.writeInt(8);
            out.writeInt(3);
            out.flush();
            in.readByte(); // 'p': PasswordMessage
            in.skipNBytes(in.readInt() - 4);
            ByteArrayOutputStream fields = new ByteArrayOutputStream();
            for (String f :
                    List.of("SFATAL", "VFATAL", "C28P01", "Mpassword authentication failed for user \"chat\"")) {
                fields.write(f.getBytes(StandardCharsets.UTF_8));
                fields.write(0);
            }
            fields.write(0);
            out.writeByte('E');
            out.writeInt(4 + fields.size());
            fields.writeTo(out);
            out.flush();
        } catch (IOException ignored) {
            // the test reads what the gateway made of it
        }
    }

    private static void assumePostgresRuns() {
        boolean ci = "true".equals(System.getenv("CI"));
        assumeTrue(ci || TestStore.reachable(), "PostgreSQL on " + TestStore.HOST + ":" + TestStore.PORT);
    }

    private Result start(String url, String user) throws IOException, InterruptedException {
        List<String> cmd = JarLikeCommand.of(
                "--chat.port=0",
                "--server.port=0",
                "--chat.data-dir=" + dataDir,
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + PASSWORD);
        Path out = Files.createTempFile(dataDir, "out", ".txt");
        Path err = Files.createTempFile(dataDir, "err", ".txt");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Result(int exit, String out, String err) {
        void assertOneLine(String start) {
            String all = out + err;
            assertThat(exit).as(all).isEqualTo(2);
            assertThat(err.lines().toList()).as(all).singleElement().asString().startsWith(start);
            assertThat(all).doesNotContain("\tat ").doesNotContain("HikariPool").doesNotContain(PASSWORD);
        }
    }
}
