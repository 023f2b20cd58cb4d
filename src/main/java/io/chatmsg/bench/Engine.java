package io.chatmsg.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's loop, on one thread: log every client in (at most
 * {@code --connecting} at a time), then hold them idle ({@code connect}) or
 * send for the warm-up and the measured window ({@link Payload}s to random
 * peers or to everyone), then drain. The window: CHAT-MSG messages not yet
 * acknowledged; IRC messages not yet delivered (everywhere). With several
 * gateways, a direct message whose recipient logged in to another gateway than
 * its sender is counted as crossing.
 */
final class Engine implements Sockets.Listener, Dialect.Events {

    private static final long NO_PROGRESS_LIMIT = TimeUnit.SECONDS.toNanos(60);
    private static final long DRAIN_LIMIT = TimeUnit.SECONDS.toNanos(5);

    private final BenchSettings settings;
    private final Gateways gateways;
    private final Dialect dialect;
    private final boolean fanout;
    private final int clients;
    private final SplittableRandom random = new SplittableRandom(42);
    private final Payload payload;
    private final Counters counters = new Counters();
    private final Deliveries deliveries;
    private Sockets sockets;
    private long nextSeq;
    private boolean sending;

    Engine(BenchSettings settings, Gateways gateways) {
        this.settings = settings;
        this.gateways = gateways;
        this.fanout = settings.fanout();
        this.dialect = Dialect.of(settings.proto(), fanout);
        this.clients = settings.clients();
        this.payload = new Payload(settings.payload());
        this.deliveries = new Deliveries(clients, fanout);
    }

    Counters run() throws IOException {
        try (Sockets s = new Sockets(gateways, clients, this)) {
            sockets = s;
            connectAll();
            if (counters.fatal == null && settings.scenario() == BenchSettings.Scenario.connect) {
                hold();
            } else if (counters.fatal == null) {
                traffic();
            }
        }
        return counters;
    }

    private void connectAll() throws IOException {
        long start = System.nanoTime();
        long lastProgress = start;
        int opened = 0;
        int readyBefore = 0;
        while (counters.loggedIn < clients && counters.fatal == null) {
            while (opened < clients && opened - counters.loggedIn < settings.connecting()) {
                sockets.open(opened, (settings.idPrefix() + opened).getBytes(StandardCharsets.US_ASCII));
                opened++;
            }
            sockets.poll(5);
            sockets.flush();
            long now = System.nanoTime();
            if (counters.loggedIn > readyBefore) {
                readyBefore = counters.loggedIn;
                lastProgress = now;
            } else if (now - lastProgress > NO_PROGRESS_LIMIT) {
                counters.fatal =
                        "no progress logging in for 60 s: " + counters.loggedIn + " of " + clients + " logged in";
            }
        }
        counters.loginMillis = (System.nanoTime() - start) / 1e6;
    }

    private void hold() throws IOException {
        long end = System.nanoTime() + settings.duration().toNanos();
        while (System.nanoTime() < end && counters.fatal == null) {
            sockets.poll(50);
            sockets.flush();
        }
    }

    private void traffic() throws IOException {
        long start = System.nanoTime();
        long measureStart = start + settings.warmup().toNanos();
        counters.window(measureStart, measureStart + settings.duration().toNanos());
        int rate = settings.rate();
        sending = true;
        if (rate == 0) {
            for (int i = 0; i < (fanout ? 1 : clients); i++) {
                topUp(sockets.get(i));
            }
        }
        int next = 0;
        long paced = 0;
        while (counters.fatal == null) {
            long now = System.nanoTime();
            if (now >= counters.measureEnd) {
                break;
            }
            if (rate > 0) {
                long due = (long) ((now - start) / 1e9 * rate) - paced;
                for (long k = 0; k < due; k++) {
                    Connection c = sockets.get(fanout ? 0 : next++ % clients);
                    paced++;
                    if (c.inflight < settings.window()) {
                        send(c, now);
                    } else {
                        counters.windowFull++;
                    }
                }
            }
            sockets.flush();
            sockets.poll(1);
        }
        sending = false;
        sockets.flush();
        // Drain: what was sent is acknowledged and delivered, or given up after 5 s.
        long drainEnd = System.nanoTime() + DRAIN_LIMIT;
        while (counters.fatal == null && System.nanoTime() < drainEnd && !drained()) {
            sockets.poll(5);
            sockets.flush();
        }
    }

    private boolean drained() {
        if (counters.delivered < counters.expected) {
            return false;
        }
        if (dialect.acknowledges()) {
            for (int i = 0; i < clients; i++) {
                if (sockets.get(i).inflight > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Full speed: fill the sender's window. */
    private void topUp(Connection c) {
        if (!sending || settings.rate() > 0) {
            return;
        }
        long now = System.nanoTime();
        while (c.inflight < settings.window()) {
            send(c, now);
        }
    }

    private void send(Connection c, long now) {
        long seq = nextSeq++;
        Connection to = null;
        if (!fanout) {
            int i = random.nextInt(clients - 1);
            to = sockets.get(i >= c.index ? i + 1 : i);
            if (gateways.crosses(c.index, to.index)) {
                counters.crossNode++;
            }
        }
        dialect.startMessage(c, to);
        payload.write(c, seq, now);
        dialect.endLine(c);
        c.inflight++;
        if (dialect.acknowledges()) {
            c.pushAck(now);
            counters.sent(now, 0);
        } else {
            counters.sent(now, fanout ? clients - 1 : 1);
        }
        sockets.dirty(c);
    }

    // Sockets.Listener ---------------------------------------------------------------

    @Override
    public void connected(Connection c) {
        dialect.login(c);
        sockets.dirty(c);
    }

    @Override
    public void line(Connection c, byte[] b, int s, int e, long now) {
        dialect.line(c, b, s, e, now, this);
    }

    @Override
    public void closed(Connection c, String why) {
        counters.errors++;
        if (!c.loggedIn || sending) {
            counters.fatal = "client " + c.index + ": " + why;
        }
    }

    // Dialect.Events -----------------------------------------------------------------

    @Override
    public void loggedIn(Connection c) {
        if (!c.loggedIn) {
            c.loggedIn = true;
            counters.loggedIn++;
        }
    }

    @Override
    public void acknowledged(Connection c, long recipients, long now) {
        long sentAt = c.popAck();
        c.inflight--;
        counters.acked(sentAt, now, recipients);
        topUp(c);
    }

    @Override
    public void refused(Connection c) {
        if (c.inflight > 0) {
            c.popAck();
            c.inflight--;
            topUp(c);
        }
    }

    @Override
    public void delivered(Connection c, byte[] b, int p, int e, long now) {
        if (!payload.read(b, p, e)) {
            return;
        }
        long seq = payload.seq;
        long sender = payload.sender;
        if (seq < 0 || seq >= nextSeq || sender < 0 || sender >= clients) {
            counters.misrouted++;
            return;
        }
        if (!deliveries.first(c.index, (int) seq)) {
            counters.duplicates++;
            return;
        }
        counters.delivered(payload.sentAt, now);
        if (!dialect.acknowledges() && (!fanout || deliveries.reachedAll((int) seq, clients - 1))) {
            Connection from = sockets.get((int) sender);
            from.inflight--;
            topUp(from);
        }
    }

    @Override
    public void error() {
        counters.errors++;
    }

    @Override
    public void fatal(String why) {
        counters.fatal = why;
    }

    @Override
    public void wrote(Connection c) {
        sockets.dirty(c);
    }
}
