package io.chatmsg.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many logged-in clients that read everything they are sent (and answer nothing),
 * on one thread: the bystanders of the scale and abuse tests, without a thread
 * per connection.
 */
public final class ReadingCrowd implements AutoCloseable {

    private final Selector selector;
    private final List<SocketChannel> channels = new ArrayList<>();
    private final AtomicLong bytesRead = new AtomicLong();
    private final Thread reader;
    private volatile boolean open = true;

    private ReadingCrowd(int port, String prefix, int n) throws IOException {
        selector = Selector.open();
        for (int i = 0; i < n; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            ch.write(ByteBuffer.wrap(("LOGIN " + prefix + i + "\r\n").getBytes(StandardCharsets.US_ASCII)));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            channels.add(ch);
        }
        reader = new Thread(this::readAll, "reading-crowd");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects {@code n} clients logged in as {@code prefix0 … prefix(n-1)}; they read until closed. */
    public static ReadingCrowd open(int port, String prefix, int n) throws IOException {
        return new ReadingCrowd(port, prefix, n);
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    /** How many of the crowd's connections the server has closed. */
    public int closedByServer() {
        return (int) channels.stream().filter(ch -> !ch.isOpen()).count();
    }

    private void readAll() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        while (open) {
            try {
                selector.select(100);
                for (SelectionKey k : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) k.channel();
                    int n;
                    while ((n = ch.read(buf.clear())) > 0) {
                        bytesRead.addAndGet(n);
                    }
                    if (n < 0) {
                        k.cancel();
                        ch.close();
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                // a connection reset: the others go on
            }
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SocketChannel ch : channels) {
            ch.close();
        }
        selector.close();
    }
}
