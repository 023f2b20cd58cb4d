package io.chatmsg.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code client HOST PORT [--id ID]}: an interactive CHAT-MSG client. Lines
 * typed are sent as they are (or expanded from {@code /shortcuts}); what the
 * server sends is printed above the prompt as it arrives, replies plain and
 * events marked; the server's PING is answered here.
 */
@Command(
        name = "client",
        mixinStandardHelpOptions = true,
        versionProvider = TerminalClient.Version.class,
        description = "Connects to a ChatMsg Gateway and chats. Type protocol lines (LOGIN alice, MSG bob hi,"
                + " MSG ALL hello, WHO, HISTORY bob, QUIT) or shortcuts (/help lists them). Ctrl-D quits.",
        exitCodeOnInvalidInput = Launcher.USAGE_ERROR)
final class TerminalClient implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "HOST", description = "server name or address")
    String host;

    @Parameters(index = "1", paramLabel = "PORT", description = "CHAT-MSG port (12345 by default on the server)")
    int port;

    @Option(names = "--id", paramLabel = "ID", description = "log in as ID once connected")
    String id;

    @Option(names = "--tls", description = "connect with TLS (the gateway's TLS port, 12346 by default)")
    boolean tls;

    @Option(
            names = "--fingerprint",
            paramLabel = "SHA256",
            description =
                    "with --tls: trust only the certificate with this SHA-256 fingerprint (as the gateway logs it)")
    String fingerprint;

    @Option(
            names = "--insecure",
            description = "with --tls: accept any certificate (encrypts, but does not know whom to)")
    boolean insecure;

    @Option(
            names = "--connect-timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "give up connecting after this long (default: ${DEFAULT-VALUE})")
    int connectTimeout;

    private final CountDownLatch serverClosed = new CountDownLatch(1);
    private FileCommands files;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            System.err.println("client: port must be from 1 to 65535, not " + port);
            return Launcher.USAGE_ERROR;
        }
        if ((fingerprint != null || insecure) && !tls) {
            System.err.println("client: --fingerprint and --insecure need --tls");
            return Launcher.USAGE_ERROR;
        }
        Socket plain = new Socket();
        Socket connected;
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(host, port), (int) TimeUnit.SECONDS.toMillis(connectTimeout));
            connected = tls ? handshake(plain) : plain;
        } catch (IllegalArgumentException e) {
            System.err.println("client: " + e.getMessage());
            return Launcher.USAGE_ERROR;
        } catch (IOException | java.security.GeneralSecurityException e) {
            System.err.println("client: cannot connect to " + host + ":" + port + (tls ? " with TLS" : "") + ": "
                    + e.getMessage());
            plain.close();
            return 1;
        }
        Socket socket = connected;
        try (socket;
                ConsoleIo io = ConsoleIo.open()) {
            OutputStream out = socket.getOutputStream();
            files = new FileCommands(io);
            CountDownLatch finished = new CountDownLatch(1);
            Thread reader = new Thread(
                    () -> {
                        readServer(socket, out, io);
                        finished.countDown();
                    },
                    "client-reader");
            reader.setDaemon(true);
            reader.start();
            if (id != null) {
                send(out, "LOGIN " + id);
            }
            // Typing runs on its own thread: a read of a redirected stdin cannot be
            // interrupted, and the client must still exit when the server closes.
            Thread typing = new Thread(
                    () -> {
                        try {
                            typeLoop(out, io);
                        } catch (IOException e) {
                            io.info("input failed: " + e.getMessage());
                        }
                        finished.countDown();
                    },
                    "client-input");
            typing.setDaemon(true);
            typing.start();
            finished.await();
        }
        return 0;
    }

    private SSLSocket handshake(Socket plain) throws IOException, java.security.GeneralSecurityException {
        SSLSocket secure = (SSLSocket) TlsTrust.factory(fingerprint, insecure).createSocket(plain, host, port, true);
        secure.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        secure.startHandshake();
        return secure;
    }

    private void typeLoop(OutputStream out, ConsoleIo io) throws IOException {
        String line;
        while (serverClosed.getCount() > 0 && (line = io.readLine()) != null) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("/send ") || lower.equals("/send")) {
                try {
                    files.send(line.substring(5), out, TerminalClient.class);
                } catch (IOException e) {
                    io.info("/send failed: " + e.getMessage());
                    break;
                }
                continue;
            }
            String toSend = lower.startsWith("/get ") || lower.equals("/get")
                    ? files.get(line.substring(4))
                    : Shortcuts.expand(line, io);
            if (toSend == null) {
                continue;
            }
            try {
                send(out, toSend);
            } catch (IOException e) {
                break;
            }
            if (toSend.equalsIgnoreCase("QUIT")) {
                awaitQuietly();
                return;
            }
        }
        if (serverClosed.getCount() > 0) {
            try {
                send(out, "QUIT");
                awaitQuietly();
            } catch (IOException ignored) {
                // the server is gone already
            }
        }
    }

    private void awaitQuietly() {
        try {
            serverClosed.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readServer(Socket socket, OutputStream out, ConsoleIo io) {
        try (InputStream in = new BufferedInputStream(socket.getInputStream(), 65536)) {
            String line;
            while ((line = readLine(in)) != null) {
                if (line.startsWith("PING ")) {
                    send(out, "PONG " + line.substring(5));
                    io.event(line + "  (answered)");
                } else if (line.startsWith("200 GET ")) {
                    io.reply(line);
                    files.receive(line, in);
                } else if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
                    io.reply(line);
                } else {
                    io.event(line);
                }
            }
            io.info("connection closed by the server");
        } catch (IOException e) {
            io.info("connection lost: " + e.getMessage());
        } finally {
            serverClosed.countDown();
            io.interrupt();
        }
    }

    /** One line, without its CR LF; null at the end of the stream. Bytes, so a GET's body can follow. */
    static String readLine(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    private static synchronized void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"chat-gateway client " + Launcher.version()};
        }
    }
}
