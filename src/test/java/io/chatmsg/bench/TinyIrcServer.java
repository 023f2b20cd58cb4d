package io.chatmsg.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Just enough IRC for the generator, on loopback: NICK/USER get {@code 001},
 * JOIN gets {@code 366}, PRIVMSG is relayed to the nick or to every other
 * member of the channel; the first client is PINGed once. A thread per client.
 * It can listen on several ports (doors), like the nodes of a cluster sharing
 * their clients, and counts the direct messages that went from one door to another.
 */
final class TinyIrcServer implements AutoCloseable {

    private final List<ServerSocket> doors = new ArrayList<>();
    private final Map<String, Client> byNick = new ConcurrentHashMap<>();
    private final Map<String, Client> channel = new ConcurrentHashMap<>();
    private final AtomicLong crossed = new AtomicLong();

    TinyIrcServer() throws IOException {
        this(1);
    }

    TinyIrcServer(int doorCount) throws IOException {
        for (int i = 0; i < doorCount; i++) {
            ServerSocket door = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            doors.add(door);
            int number = i;
            daemon(() -> accept(door, number));
        }
    }

    int port() {
        return port(0);
    }

    int port(int door) {
        return doors.get(door).getLocalPort();
    }

    /** The door through which {@code nick} came in, or -1. */
    int doorOf(String nick) {
        Client c = byNick.get(nick);
        return c == null ? -1 : c.door;
    }

    /** Direct messages whose sender and recipient came in through different doors. */
    long crossed() {
        return crossed.get();
    }

    private void accept(ServerSocket server, int door) {
        try {
            while (true) {
                Socket s = server.accept();
                Client c = new Client(s, door);
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
            Client to = byNick.get(target);
            if (to.door != from.door) {
                crossed.incrementAndGet();
            }
            to.send(out);
        }
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket door : doors) {
            door.close();
        }
    }

    private static final class Client {
        final Socket socket;
        final OutputStream out;
        final int door;
        volatile String nick;

        Client(Socket socket, int door) throws IOException {
            this.socket = socket;
            this.door = door;
            this.out = socket.getOutputStream();
        }

        synchronized void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
