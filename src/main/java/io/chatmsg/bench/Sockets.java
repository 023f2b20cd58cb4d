package io.chatmsg.bench;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The clients' sockets: one selector, every socket non-blocking with
 * TCP_NODELAY, input cut into lines in place, output written in one pass
 * over the connections that have something to write. Client {@code i}
 * connects to its gateway ({@link Gateways#of}).
 */
final class Sockets implements AutoCloseable {

    /** What happens on the sockets, for the engine. */
    interface Listener {

        /** {@code c} is connected and can log in. */
        void connected(Connection c);

        /** A line arrived on {@code c}: bytes {@code s..e} of {@code b}, without the line end. */
        void line(Connection c, byte[] b, int s, int e, long now);

        /** {@code c} is gone (closed by the server, an I/O error, or a line too long). */
        void closed(Connection c, String why);
    }

    private final Gateways gateways;
    private final Listener listener;
    private final Selector selector;
    private final Connection[] connections;
    private final int[] dirty;
    private int dirtyCount;

    Sockets(Gateways gateways, int clients, Listener listener) throws IOException {
        this.gateways = gateways;
        this.listener = listener;
        this.selector = Selector.open();
        this.connections = new Connection[clients];
        this.dirty = new int[clients];
    }

    Connection get(int i) {
        return connections[i];
    }

    void open(int i, byte[] id) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Connection c = new Connection(i, id, ch);
        connections[i] = c;
        if (ch.connect(gateways.of(i))) {
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            listener.connected(c);
        } else {
            c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
        }
    }

    /** Waits up to {@code millis} for sockets to be ready, and handles them. */
    void poll(long millis) throws IOException {
        selector.select(millis);
        long now = System.nanoTime();
        var keys = selector.selectedKeys();
        for (SelectionKey k : keys) {
            Connection c = (Connection) k.attachment();
            if (!k.isValid()) {
                continue;
            }
            try {
                if (k.isConnectable()) {
                    c.channel.finishConnect();
                    k.interestOps(SelectionKey.OP_READ);
                    listener.connected(c);
                    continue;
                }
                if (k.isWritable()) {
                    write(c);
                }
                if (k.isReadable()) {
                    read(c, now);
                }
            } catch (IOException e) {
                closed(c, e.getMessage());
            }
        }
        keys.clear();
    }

    /** {@code c} has bytes to write at the next {@link #flush}. */
    void dirty(Connection c) {
        if (!c.dirty) {
            c.dirty = true;
            dirty[dirtyCount++] = c.index;
        }
    }

    void flush() {
        for (int i = 0; i < dirtyCount; i++) {
            Connection c = connections[dirty[i]];
            c.dirty = false;
            try {
                write(c);
            } catch (IOException e) {
                closed(c, e.getMessage());
            }
        }
        dirtyCount = 0;
    }

    private void read(Connection c, long now) throws IOException {
        int n = c.channel.read(c.in);
        if (n < 0) {
            closed(c, "closed by the server");
            return;
        }
        byte[] b = c.in.array();
        int end = c.in.position();
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (b[i] == '\n') {
                int lineEnd = i > start && b[i - 1] == '\r' ? i - 1 : i;
                listener.line(c, b, start, lineEnd, now);
                start = i + 1;
            }
        }
        if (start == 0 && end == b.length) {
            closed(c, "a line longer than " + b.length + " bytes");
            return;
        }
        System.arraycopy(b, start, b, 0, end - start);
        c.in.position(end - start);
    }

    private void write(Connection c) throws IOException {
        c.out.flip();
        c.channel.write(c.out);
        boolean left = c.out.hasRemaining();
        c.out.compact();
        if (c.key.isValid()) {
            int ops = left ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (c.key.interestOps() != ops) {
                c.key.interestOps(ops);
            }
        }
    }

    private void closed(Connection c, String why) {
        if (c.key != null) {
            c.key.cancel();
        }
        listener.closed(c, why);
    }

    @Override
    public void close() throws IOException {
        for (Connection c : connections) {
            if (c != null) {
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        selector.close();
    }
}
