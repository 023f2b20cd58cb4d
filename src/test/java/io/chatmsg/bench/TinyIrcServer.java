package io.chatmsg.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough IRC for the generator, on loopback: NICK/USER get {@code 001},
 * JOIN gets {@code 366}, PRIVMSG is relayed to the nick or to every other
 * member of the channel; the first client is PINGed once. A thread per client.
 */
final class TinyIrcServer implements AutoCloseable {

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Map<String, Client> byNick = new ConcurrentHashMap<>();
    private final Map<String, Client> channel = new ConcurrentHashMap<>();

    TinyIrcServer() throws IOException {
        daemon(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket s = server.accept();
                Client c = new Client(s);
                daemon(() -> serve(c));
            }
        } catch (IOException closed) {
            // stopped
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "tiny-irc");
        t.setDaemon(true);
        t.start();
    }

    private void serve(Client c) {
        try (c.socket;
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(c.socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.split(" ", 3);
                switch (w[0]) {
                    case "NICK" -> {
                        c.nick = w[1];
                        byNick.put(c.nick, c);
                        if (byNick.size() == 1) {
                            c.send("PING :tiny.local");
                        }
                    }
                    case "USER" -> c.send(":tiny.local 001 " + c.nick + " :Welcome");
                    case "JOIN" -> {
                        channel.put(c.nick, c);
                        c.send(":tiny.local 366 " + c.nick + " " + w[1] + " :End of /NAMES list.");
                    }
                    case "PRIVMSG" -> relay(c, w[1], line);
                    default -> {} // PONG
                }
            }
        } catch (IOException gone) {
            // the client left
        }
    }

    private void relay(Client from, String target, String line) throws IOException {
        String out = ":" + from.nick + "!u@tiny.local " + line;
        if (target.startsWith("#")) {
            for (Client c : channel.values()) {
                if (c != from) {
                    c.send(out);
                }
            }
        } else {
            byNick.get(target).send(out);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private static final class Client {
        final Socket socket;
        final OutputStream out;
        volatile String nick;

        Client(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        synchronized void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
