package io.chatmsg.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in its own JVM by the scale tests: opens N idle connections to a gateway
 * (so the file descriptors are not the test JVM's), prints {@code connected N}
 * (fewer if the system refuses more), and holds them until its stdin closes.
 */
public final class HoldConnections {

    private HoldConnections() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int wanted = Integer.parseInt(args[1]);
        List<SocketChannel> open = new ArrayList<>(wanted);
        String stop = null;
        for (int i = 0; i < wanted; i++) {
            try {
                SocketChannel ch = SocketChannel.open();
                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(new InetSocketAddress("127.0.0.1", port));
                open.add(ch);
            } catch (IOException e) {
                stop = e.toString();
                break;
            }
        }
        System.out.println("connected " + open.size() + (stop == null ? "" : " (stopped: " + stop + ")"));
        System.out.flush();
        while (System.in.read() != -1) {
            // hold until the parent closes our stdin
        }
        for (SocketChannel ch : open) {
            ch.close();
        }
    }
}
