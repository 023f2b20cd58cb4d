package io.chatmsg.session;

import java.time.Instant;

/**
 * The live state of one connection: identity and traffic counters. Counters
 * have a single writer, the connection's own event loop, so plain volatile
 * increments are exact; anyone may read them (dashboard, API).
 */
public final class LiveSession {

    private final long id;
    private final String remoteAddress;
    private final String transport;
    private final Instant connectedAt;

    private volatile String clientId;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private volatile long linesIn;
    private volatile long linesOut;
    private volatile long messagesIn;
    private volatile long messagesOut;
    private volatile long rttMillis = -1;
    private final RecentLines recent = new RecentLines();
    private volatile SessionControl control;

    LiveSession(long id, String remoteAddress, String transport, Instant connectedAt) {
        this.id = id;
        this.remoteAddress = remoteAddress;
        this.transport = transport;
        this.connectedAt = connectedAt;
    }

    public long id() {
        return id;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    /** The address without the port. */
    public String remoteIp() {
        int colon = remoteAddress.lastIndexOf(':');
        return colon < 0 ? remoteAddress : remoteAddress.substring(0, colon);
    }

    public String transport() {
        return transport;
    }

    public Instant connectedAt() {
        return connectedAt;
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
        long rtt = rttMillis;
        return rtt < 0 ? null : rtt;
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

    public void rttMillis(long rtt) {
        this.rttMillis = rtt;
    }
}
