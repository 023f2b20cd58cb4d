package io.chatmsg.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * The load generator's engine: one thread, one selector, every client's
 * socket non-blocking; lines parsed from bytes without building strings on
 * the hot path. See {@link Bench} for the options and docs/performance.md for
 * what the numbers mean.
 */
final class BenchEngine {

    private static final long NO_PROGRESS_LIMIT = TimeUnit.SECONDS.toNanos(60);
    private static final long DRAIN_LIMIT = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_OUT = 8 << 20;

    private final Bench o;
    private final InetSocketAddress target;
    private final boolean irc;
    private final boolean fanout;
    private final Conn[] conns;
    private final SplittableRandom random = new SplittableRandom(42);
    private final byte[] pad;
    private Selector selector;

    // Measurement.
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
    private final Histogram ackLatency = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
    private long measureStart = Long.MAX_VALUE;
    private long measureEnd = Long.MAX_VALUE;
    private long nextSeq;
    private long sent;
    private long acked;
    private long ackedInWindow;
    private long sentInWindow;
    private long expected;
    private long delivered;
    private long deliveredInWindow;
    private long duplicates;
    private long errors;
    private long misrouted;
    private long windowFull;
    private final BitSet seen = new BitSet();
    private BitSet[] seenBy;
    private int[] fanoutCount = new int[1024];
    private double loginMillis = -1;
    private int ready;
    private String fatal;
    private boolean sending;

    // Connections whose output buffer has bytes to write.
    private final int[] dirty;
    private int dirtyCount;

    BenchEngine(Bench options, InetAddress address) {
        this.o = options;
        this.target = new InetSocketAddress(address, options.port);
        this.irc = options.proto == Bench.Proto.irc;
        this.fanout = options.scenario == Bench.Scenario.fanout;
        this.conns = new Conn[options.clients];
        this.dirty = new int[options.clients];
        this.pad = new byte[options.payload];
        Arrays.fill(pad, (byte) 'x');
        if (fanout) {
            seenBy = new BitSet[options.clients];
            for (int i = 0; i < seenBy.length; i++) {
                seenBy[i] = new BitSet();
            }
        }
    }

    record Result(BenchEngine e) {
        String fatal() {
            return e.fatal;
        }

        String json(double cpuSeconds, double wallSeconds) {
            return e.json(cpuSeconds, wallSeconds);
        }
    }

    Result run() throws IOException {
        selector = Selector.open();
        try {
            connectAll();
            if (fatal == null && o.scenario == Bench.Scenario.connect) {
                hold();
            } else if (fatal == null) {
                traffic();
            }
        } finally {
            for (Conn c : conns) {
                if (c != null) {
                    try {
                        c.ch.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            }
            selector.close();
        }
        return new Result(this);
    }

    // Logging in --------------------------------------------------------------------------

    private void connectAll() throws IOException {
        long start = System.nanoTime();
        long lastProgress = start;
        int opened = 0;
        int readyBefore = 0;
        while (ready < conns.length && fatal == null) {
            while (opened < conns.length && opened - ready < o.connecting) {
                open(opened++);
            }
            selector.select(5);
            process(System.nanoTime());
            flush();
            long now = System.nanoTime();
            if (ready > readyBefore) {
                readyBefore = ready;
                lastProgress = now;
            } else if (now - lastProgress > NO_PROGRESS_LIMIT) {
                fatal = "no progress logging in for 60 s: " + ready + " of " + conns.length + " logged in";
            }
        }
        loginMillis = (System.nanoTime() - start) / 1e6;
    }

    private void open(int i) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Conn c = new Conn(i, ch, (o.idPrefix + i).getBytes(StandardCharsets.US_ASCII));
        conns[i] = c;
        if (ch.connect(target)) {
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            login(c);
        } else {
            c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
        }
    }

    private void login(Conn c) {
        if (irc) {
            c.put("NICK ").put(c.id).put("\r\nUSER ").put(c.id).put(" 0 * :bench\r\n");
        } else {
            c.put("LOGIN ").put(c.id).put("\n");
        }
        markDirty(c);
    }

    private void hold() throws IOException {
        long end = System.nanoTime() + o.duration.toNanos();
        while (System.nanoTime() < end && fatal == null) {
            selector.select(50);
            process(System.nanoTime());
            flush();
        }
    }

    // Traffic -----------------------------------------------------------------------------

    private void traffic() throws IOException {
        long start = System.nanoTime();
        measureStart = start + o.warmup.toNanos();
        measureEnd = measureStart + o.duration.toNanos();
        sending = true;
        if (o.rate == 0) {
            if (fanout) {
                topUp(conns[0]);
            } else {
                for (Conn c : conns) {
                    topUp(c);
                }
            }
        }
        int rr = 0;
        long paced = 0;
        while (fatal == null) {
            long now = System.nanoTime();
            if (now >= measureEnd) {
                break;
            }
            if (o.rate > 0) {
                long due = (long) ((now - start) / 1e9 * o.rate) - paced;
                for (long k = 0; k < due; k++) {
                    Conn c = fanout ? conns[0] : conns[rr++ % conns.length];
                    paced++;
                    if (c.inflight < o.window) {
                        send(c, now);
                    } else {
                        windowFull++;
                    }
                }
            }
            flush();
            selector.select(1);
            process(System.nanoTime());
        }
        sending = false;
        flush();
        // Drain: what was sent is acknowledged and delivered, or given up after 5 s.
        long drainEnd = System.nanoTime() + DRAIN_LIMIT;
        while (fatal == null && System.nanoTime() < drainEnd && !drained()) {
            selector.select(5);
            process(System.nanoTime());
            flush();
        }
    }

    private boolean drained() {
        if (delivered < expected) {
            return false;
        }
        if (!irc) {
            for (Conn c : conns) {
                if (c.inflight > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Full speed: fill the sender's window. */
    private void topUp(Conn c) {
        if (!sending || o.rate > 0) {
            return;
        }
        long now = System.nanoTime();
        while (c.inflight < o.window) {
            send(c, now);
        }
    }

    private void send(Conn c, long now) {
        long seq = nextSeq++;
        if (fanout) {
            if (irc) {
                c.put("PRIVMSG #bench :");
            } else {
                c.put("MSG ALL ");
            }
        } else {
            int to = random.nextInt(conns.length - 1);
            if (to >= c.idx) {
                to++;
            }
            if (irc) {
                c.put("PRIVMSG ").put(conns[to].id).put(" :");
            } else {
                c.put("MSG ").put(conns[to].id).put(" ");
            }
        }
        int before = c.out.position();
        c.putLong(seq).put(".").putLong(now).put(".").putLong(c.idx).put(".");
        int used = c.out.position() - before;
        c.put(pad, 0, Math.max(1, o.payload - used));
        c.put(irc ? "\r\n" : "\n");
        c.inflight++;
        if (!irc) {
            c.pushAck(now);
        }
        sent++;
        if (now >= measureStart && now < measureEnd) {
            sentInWindow++;
        }
        if (irc) {
            expected += fanout ? conns.length - 1 : 1;
        }
        markDirty(c);
    }

    // I/O ---------------------------------------------------------------------------------

    private void process(long now) throws IOException {
        var keys = selector.selectedKeys();
        for (SelectionKey k : keys) {
            Conn c = (Conn) k.attachment();
            if (!k.isValid()) {
                continue;
            }
            try {
                if (k.isConnectable()) {
                    c.ch.finishConnect();
                    k.interestOps(SelectionKey.OP_READ);
                    login(c);
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

    private void read(Conn c, long now) throws IOException {
        int n = c.ch.read(c.in);
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
                if (irc) {
                    ircLine(c, b, start, lineEnd, now);
                } else {
                    chatLine(c, b, start, lineEnd, now);
                }
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

    private void closed(Conn c, String why) {
        if (c.key != null) {
            c.key.cancel();
        }
        errors++;
        if (c.state != Conn.READY || sending) {
            fatal = "client " + c.idx + ": " + why;
        }
    }

    private void markDirty(Conn c) {
        if (!c.dirty) {
            c.dirty = true;
            dirty[dirtyCount++] = c.idx;
        }
    }

    private void flush() throws IOException {
        for (int i = 0; i < dirtyCount; i++) {
            Conn c = conns[dirty[i]];
            c.dirty = false;
            try {
                write(c);
            } catch (IOException e) {
                closed(c, e.getMessage());
            }
        }
        dirtyCount = 0;
    }

    private void write(Conn c) throws IOException {
        c.out.flip();
        c.ch.write(c.out);
        boolean left = c.out.hasRemaining();
        c.out.compact();
        if (c.key.isValid()) {
            int ops = left ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (c.key.interestOps() != ops) {
                c.key.interestOps(ops);
            }
        }
    }

    // CHAT-MSG lines ------------------------------------------------------------------------

    private void chatLine(Conn c, byte[] b, int s, int e, long now) {
        if (starts(b, s, e, "MSG ")) {
            // MSG <from> <to> <text>
            int p = skipWord(b, s + 4, e);
            p = skipWord(b, p, e);
            delivery(c, b, p, e, now);
        } else if (e - s >= 3 && b[s] >= '0' && b[s] <= '9') {
            if (starts(b, s, e, "200 MSG ") || starts(b, s, e, "202 MSG ")) {
                long n = 1;
                if (fanout) {
                    int p = skipWord(b, s + 8, e);
                    n = p < e ? parseLong(b, p, e) : 0;
                }
                ack(c, now, n);
            } else if (starts(b, s, e, "200 LOGIN ")) {
                c.state = Conn.READY;
                ready++;
            } else if (b[s] >= '4') {
                errors++;
                if (c.state != Conn.READY) {
                    fatal = "client " + c.idx + " could not log in: " + new String(b, s, e - s, StandardCharsets.UTF_8);
                } else if (c.inflight > 0) {
                    c.popAck();
                    c.inflight--;
                    topUp(c);
                }
            }
        } else if (starts(b, s, e, "PING ")) {
            c.put("PONG ").put(b, s + 5, e - s - 5).put("\n");
            markDirty(c);
        }
    }

    private void ack(Conn c, long now, long recipients) {
        long sentAt = c.popAck();
        c.inflight--;
        acked++;
        expected += recipients;
        if (sentAt >= measureStart && sentAt < measureEnd) {
            ackedInWindow++;
            ackLatency.recordValue(Math.max(0, (now - sentAt) / 1000));
        }
        topUp(c);
    }

    // IRC lines -------------------------------------------------------------------------

    private void ircLine(Conn c, byte[] b, int s, int e, long now) {
        if (starts(b, s, e, "PING ")) {
            c.put("PONG ").put(b, s + 5, e - s - 5).put("\r\n");
            markDirty(c);
            return;
        }
        if (e == s || b[s] != ':') {
            if (starts(b, s, e, "ERROR")) {
                errors++;
            }
            return;
        }
        int cmd = skipWord(b, s, e);
        if (starts(b, cmd, e, "PRIVMSG ")) {
            int p = skipWord(b, cmd + 8, e);
            if (p < e && b[p] == ':') {
                p++;
            }
            delivery(c, b, p, e, now);
        } else if (starts(b, cmd, e, "001 ")) {
            if (fanout) {
                c.put("JOIN #bench\r\n");
                markDirty(c);
            } else {
                c.state = Conn.READY;
                ready++;
            }
        } else if (starts(b, cmd, e, "366 ")) {
            if (c.state != Conn.READY) {
                c.state = Conn.READY;
                ready++;
            }
        } else if (starts(b, cmd, e, "433 ") || starts(b, cmd, e, "432 ") || starts(b, cmd, e, "465 ")) {
            errors++;
            fatal = "client " + c.idx + " refused: " + new String(b, s, e - s, StandardCharsets.UTF_8);
        } else if (cmd + 3 < e && b[cmd] >= '4' && b[cmd] <= '5' && b[cmd + 3] == ' ') {
            errors++;
        }
    }

    // Deliveries --------------------------------------------------------------------------

    /** A message's text arrived at {@code c}: {@code <seq>.<sent-nanos>.<sender>.<padding>}. */
    private void delivery(Conn c, byte[] b, int p, int e, long now) {
        int d1 = indexOf(b, p, e, (byte) '.');
        int d2 = d1 < 0 ? -1 : indexOf(b, d1 + 1, e, (byte) '.');
        int d3 = d2 < 0 ? -1 : indexOf(b, d2 + 1, e, (byte) '.');
        if (d3 < 0) {
            return; // not ours (a server notice or another client's)
        }
        long seq = parseLong(b, p, d1);
        long sentAt = parseLong(b, d1 + 1, d2);
        int sender = (int) parseLong(b, d2 + 1, d3);
        if (seq < 0 || seq >= nextSeq || sender < 0 || sender >= conns.length) {
            misrouted++;
            return;
        }
        BitSet set = fanout ? seenBy[c.idx] : seen;
        if (set.get((int) seq)) {
            duplicates++;
            return;
        }
        set.set((int) seq);
        delivered++;
        if (sentAt >= measureStart && sentAt < measureEnd) {
            deliveredInWindow++;
            latency.recordValue(Math.max(0, (now - sentAt) / 1000));
        }
        if (irc) {
            Conn from = conns[sender];
            if (!fanout) {
                from.inflight--;
                topUp(from);
            } else {
                int i = (int) seq;
                if (i >= fanoutCount.length) {
                    fanoutCount = Arrays.copyOf(fanoutCount, Math.max(i + 1, fanoutCount.length * 2));
                }
                if (++fanoutCount[i] == conns.length - 1) {
                    from.inflight--;
                    topUp(from);
                }
            }
        }
    }

    // Bytes -------------------------------------------------------------------------------

    private static boolean starts(byte[] b, int s, int e, String prefix) {
        int n = prefix.length();
        if (e - s < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[s + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The index after the word at {@code p} and the one space after it. */
    private static int skipWord(byte[] b, int p, int e) {
        while (p < e && b[p] != ' ') {
            p++;
        }
        return Math.min(e, p + 1);
    }

    private static int indexOf(byte[] b, int p, int e, byte x) {
        for (int i = p; i < e; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static long parseLong(byte[] b, int s, int e) {
        long v = 0;
        if (s >= e) {
            return -1;
        }
        for (int i = s; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    // The JSON line -----------------------------------------------------------------------

    private String json(double cpuSeconds, double wallSeconds) {
        double seconds = o.duration.toNanos() / 1e9;
        boolean traffic = o.scenario != Bench.Scenario.connect;
        long messagesInWindow = irc ? sentInWindow : ackedInWindow;
        StringBuilder j = new StringBuilder(512);
        j.append('{');
        field(j, "proto", o.proto.name()).append(',');
        field(j, "scenario", o.scenario.name()).append(',');
        field(j, "host", target.getAddress().getHostAddress()).append(',');
        j.append("\"port\":").append(o.port).append(',');
        j.append("\"clients\":").append(o.clients).append(',');
        j.append("\"logged_in\":").append(ready).append(',');
        j.append("\"login_ms\":").append(Bench.fmt(loginMillis)).append(',');
        j.append("\"rate\":").append(o.rate).append(',');
        j.append("\"window\":").append(o.window).append(',');
        j.append("\"duration_s\":").append(Bench.fmt(seconds)).append(',');
        j.append("\"warmup_s\":").append(Bench.fmt(o.warmup.toNanos() / 1e9)).append(',');
        j.append("\"sent\":").append(sent).append(',');
        j.append("\"acked\":").append(irc ? null : String.valueOf(acked)).append(',');
        j.append("\"delivered\":").append(delivered).append(',');
        j.append("\"expected\":").append(expected).append(',');
        j.append("\"lost\":").append(Math.max(0, expected - delivered)).append(',');
        j.append("\"duplicates\":").append(duplicates).append(',');
        j.append("\"misrouted\":").append(misrouted).append(',');
        j.append("\"window_full\":").append(windowFull).append(',');
        j.append("\"messages_per_s\":")
                .append(traffic ? Bench.fmt(messagesInWindow / seconds) : "0")
                .append(',');
        j.append("\"deliveries_per_s\":")
                .append(traffic ? Bench.fmt(deliveredInWindow / seconds) : "0")
                .append(',');
        j.append("\"latency_ms\":");
        percentiles(j, latency).append(',');
        j.append("\"ack_latency_ms\":");
        if (irc) {
            j.append("null");
        } else {
            percentiles(j, ackLatency);
        }
        j.append(',');
        j.append("\"errors\":").append(errors).append(',');
        j.append("\"generator_cpu_s\":").append(Bench.fmt(cpuSeconds)).append(',');
        j.append("\"generator_cpu_pct\":")
                .append(Bench.fmt(100 * cpuSeconds / Math.max(1e-9, wallSeconds)))
                .append(',');
        j.append("\"fatal\":");
        if (fatal == null) {
            j.append("null");
        } else {
            j.append('"')
                    .append(fatal.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return j.append('}').toString();
    }

    private static StringBuilder field(StringBuilder j, String name, String value) {
        return j.append('"').append(name).append("\":\"").append(value).append('"');
    }

    private static StringBuilder percentiles(StringBuilder j, Histogram h) {
        if (h.getTotalCount() == 0) {
            return j.append("null");
        }
        return j.append("{\"p50\":")
                .append(ms(h.getValueAtPercentile(50)))
                .append(",\"p90\":")
                .append(ms(h.getValueAtPercentile(90)))
                .append(",\"p99\":")
                .append(ms(h.getValueAtPercentile(99)))
                .append(",\"p99.9\":")
                .append(ms(h.getValueAtPercentile(99.9)))
                .append(",\"max\":")
                .append(ms(h.getMaxValue()))
                .append(",\"count\":")
                .append(h.getTotalCount())
                .append('}');
    }

    private static String ms(long micros) {
        return Bench.fmt(micros / 1000.0);
    }

    /** One client's socket, buffers and window. */
    private static final class Conn {
        static final int CONNECTING = 0;
        static final int READY = 2;

        final int idx;
        final SocketChannel ch;
        final byte[] id;
        final ByteBuffer in = ByteBuffer.allocate(1 << 16);
        ByteBuffer out = ByteBuffer.allocate(1 << 12);
        SelectionKey key;
        int state = CONNECTING;
        int inflight;
        boolean dirty;
        private long[] acks = new long[16];
        private int ackHead;
        private int ackSize;

        Conn(int idx, SocketChannel ch, byte[] id) {
            this.idx = idx;
            this.ch = ch;
            this.id = id;
        }

        void pushAck(long t) {
            if (ackSize == acks.length) {
                long[] bigger = new long[acks.length * 2];
                for (int i = 0; i < ackSize; i++) {
                    bigger[i] = acks[(ackHead + i) % acks.length];
                }
                acks = bigger;
                ackHead = 0;
            }
            acks[(ackHead + ackSize++) % acks.length] = t;
        }

        long popAck() {
            if (ackSize == 0) {
                return Long.MIN_VALUE;
            }
            long t = acks[ackHead];
            ackHead = (ackHead + 1) % acks.length;
            ackSize--;
            return t;
        }

        private void room(int n) {
            if (out.remaining() < n) {
                int want = Math.max(out.capacity() * 2, out.position() + n);
                if (want > MAX_OUT) {
                    throw new IllegalStateException("client " + idx + ": the server does not read (8 MB unsent)");
                }
                ByteBuffer bigger = ByteBuffer.allocate(want);
                out.flip();
                bigger.put(out);
                out = bigger;
            }
        }

        Conn put(String s) {
            room(s.length());
            for (int i = 0; i < s.length(); i++) {
                out.put((byte) s.charAt(i));
            }
            return this;
        }

        Conn put(byte[] b) {
            return put(b, 0, b.length);
        }

        Conn put(byte[] b, int off, int len) {
            room(len);
            out.put(b, off, len);
            return this;
        }

        Conn putLong(long v) {
            room(20);
            if (v == 0) {
                out.put((byte) '0');
                return this;
            }
            int start = out.position();
            while (v > 0) {
                out.put((byte) ('0' + (v % 10)));
                v /= 10;
            }
            int end = out.position() - 1;
            byte[] a = out.array();
            for (int i = start, k = end; i < k; i++, k--) {
                byte t = a[i];
                a[i] = a[k];
                a[k] = t;
            }
            return this;
        }
    }
}
