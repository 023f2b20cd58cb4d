package io.chatmsg.session;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * The live state of one connection: identity and traffic counters. Counters
 * have a single writer, the connection's own event loop, so plain volatile
 * increments are exact; anyone may read them (dashboard, API).
 */
public final class LiveSession {

    private final long id;
    /** The node that holds the connection ({@code chat.cluster.node-id}). */
    private final String node;

    /**
     * The peer: the channel's own {@link InetSocketAddress} (shared with it, made text only
     * when asked: an idle connection keeps no string for it), or the text (another node's copy).
     */
    private final Object remoteAddress;

    private final String transport;
    /** Nanoseconds since the epoch (an Instant's precision without an Instant object per session). */
    private final long connectedAtNanos;

    private volatile String clientId;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private volatile long linesIn;
    private volatile long linesOut;
    private volatile long messagesIn;
    private volatile long messagesOut;
    /** The last round trip in milliseconds (sub-millisecond precision), or -1. */
    private volatile double rttPrecise = -1;
    /** System.nanoTime of the oldest probe still unanswered, or 0. */
    private volatile long unansweredSinceNanos;

    /** Created with the first answered probe (the event loop writes it; readers may see null). */
    private volatile RttHistory rttHistory;

    private final RecentLines recent = new RecentLines();
    private volatile SessionControl control;

    private final LatencyProperties thresholds;

    // What the traffic recorder has already added to the per-minute totals: its thread only.
    private long countedBytesIn;
    private long countedBytesOut;
    private long countedMessagesIn;
    private long countedMessagesOut;

    LiveSession(
            long id,
            String node,
            Object remoteAddress,
            String transport,
            Instant connectedAt,
            LatencyProperties thresholds) {
        this.thresholds = thresholds;
        this.id = id;
        this.node = node;
        this.remoteAddress = remoteAddress;
        this.transport = transport;
        this.connectedAtNanos =
                Math.addExact(Math.multiplyExact(connectedAt.getEpochSecond(), 1_000_000_000L), connectedAt.getNano());
    }

    /** {@code host:port}, as the dashboard and the session's row show it ("unknown" without an address). */
    public static String text(InetSocketAddress a) {
        return a == null || a.getAddress() == null ? "unknown" : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    public long id() {
        return id;
    }

    /** The node that holds the connection. */
    public String node() {
        return node;
    }

    /**
     * A copy of a session another node of the cluster holds, as that node last
     * published it: read-only, without {@link #control()} (kick it through the cluster).
     */
    public static LiveSession elsewhere(
            String node,
            long id,
            String remoteAddress,
            String transport,
            Instant connectedAt,
            String clientId,
            long[] counters,
            long rttMillis,
            LatencyProperties thresholds) {
        LiveSession s = new LiveSession(id, node, remoteAddress, transport, connectedAt, thresholds);
        s.clientId = clientId;
        s.bytesIn = counters[0];
        s.bytesOut = counters[1];
        s.linesIn = counters[2];
        s.linesOut = counters[3];
        s.messagesIn = counters[4];
        s.messagesOut = counters[5];
        s.rttPrecise = rttMillis;
        return s;
    }

    /** Bytes in and out, lines in and out, messages in and out: what {@link #elsewhere} takes. */
    public long[] counters() {
        return new long[] {bytesIn, bytesOut, linesIn, linesOut, messagesIn, messagesOut};
    }

    public String remoteAddress() {
        return remoteAddress instanceof InetSocketAddress a ? text(a) : (String) remoteAddress;
    }

    /** The address without the port. */
    public String remoteIp() {
        if (remoteAddress instanceof InetSocketAddress a) {
            return a.getAddress() == null ? "unknown" : a.getAddress().getHostAddress();
        }
        String text = (String) remoteAddress;
        int colon = text.lastIndexOf(':');
        return colon < 0 ? text : text.substring(0, colon);
    }

    public String transport() {
        return transport;
    }

    public Instant connectedAt() {
        return Instant.ofEpochSecond(0, connectedAtNanos);
    }

    /** The id logged in now, or the last one this connection used; null before the first LOGIN. */
    public String clientId() {
        return clientId;
    }

    public void clientId(String id) {
        this.clientId = id;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public long linesIn() {
        return linesIn;
    }

    public long linesOut() {
        return linesOut;
    }

    public long messagesIn() {
        return messagesIn;
    }

    public long messagesOut() {
        return messagesOut;
    }

    /** Round-trip time of the last answered server PING, or null before one is measured. */
    public Long rttMillis() {
        double rtt = rttPrecise;
        return rtt < 0 ? null : Math.round(rtt);
    }

    /** The last round trip with sub-millisecond precision, or null. */
    public Double rttPreciseMillis() {
        double rtt = rttPrecise;
        return rtt < 0 ? null : rtt;
    }

    /** Normal, slow, very slow, inactive (a probe unanswered too long), or unknown (not measured). */
    public Latency latency() {
        long since = unansweredSinceNanos;
        boolean silent = since != 0
                && System.nanoTime() - since > thresholds.inactiveAfter().toNanos();
        return thresholds.classify(rttPreciseMillis(), silent);
    }

    /** The last round trips, oldest first, for the client page's chart. */
    public java.util.List<RttHistory.Sample> rttHistory() {
        RttHistory h = rttHistory;
        return h == null ? java.util.List.of() : h.samples();
    }

    public RecentLines recentLines() {
        return recent;
    }

    /** Null until the transport has attached itself. */
    public SessionControl control() {
        return control;
    }

    public void control(SessionControl control) {
        this.control = control;
    }

    /**
     * What this session did since the last call: bytes in, bytes out, messages in,
     * messages out. The traffic recorder's thread only.
     */
    long[] trafficSinceLastCount() {
        long[] now = {bytesIn, bytesOut, messagesIn, messagesOut};
        long[] delta = {
            Math.max(0, now[0] - countedBytesIn),
            Math.max(0, now[1] - countedBytesOut),
            Math.max(0, now[2] - countedMessagesIn),
            Math.max(0, now[3] - countedMessagesOut)
        };
        countedBytesIn = now[0];
        countedBytesOut = now[1];
        countedMessagesIn = now[2];
        countedMessagesOut = now[3];
        return delta;
    }

    // Writers below: the owning event loop only.

    /** A line from the client, as received (the caller redacts secrets). */
    public void recordIn(String line) {
        recent.add(true, line);
    }

    /** What was sent: a String (one or more lines) or an encoded event (its toString is the text). */
    public void recordOut(Object sent) {
        recent.add(false, sent);
    }

    public void addBytesIn(long n) {
        bytesIn += n;
    }

    public void addBytesOut(long n) {
        bytesOut += n;
    }

    public void addLinesIn(long n) {
        linesIn += n;
    }

    public void addLinesOut(long n) {
        linesOut += n;
    }

    public void addMessagesIn(long n) {
        messagesIn += n;
    }

    public void addMessagesOut(long n) {
        messagesOut += n;
    }

    /** A latency probe went out; an earlier unanswered one keeps its start. */
    public void probeSent(long nanos) {
        if (unansweredSinceNanos == 0) {
            unansweredSinceNanos = nanos;
        }
    }

    /** The PONG to the probe sent at {@code sentNanos} arrived at {@code nowNanos}. */
    public void probeAnswered(long sentNanos, long nowNanos) {
        double ms = (nowNanos - sentNanos) / 1e6;
        rttPrecise = ms;
        unansweredSinceNanos = 0;
        RttHistory h = rttHistory;
        if (h == null) {
            h = new RttHistory();
            rttHistory = h;
        }
        h.add(System.currentTimeMillis(), ms);
    }
}
