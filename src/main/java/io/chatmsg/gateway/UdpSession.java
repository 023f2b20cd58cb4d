package io.chatmsg.gateway;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.chatmsg.chat.ChatClient;
import io.chatmsg.chat.Connection;
import io.chatmsg.chat.Response;
import io.chatmsg.protocol.OutboundLine;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionControl;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

/**
 * One sender address over UDP: the session it stands for (docs/protocol.md, UDP).
 * Confined to the UDP channel's event loop, except {@link #send} and
 * {@link #close}, which hop onto it.
 */
final class UdpSession implements Connection, SessionControl {

    /** Replies and events longer than this are split at line boundaries. */
    static final int SPLIT_AT = 1200;

    final InetSocketAddress address;
    final LiveSession live;
    ChatClient client;
    long lastHeardNanos;
    /** Logged in, and the backlog of offline messages not fetched yet (it waits for the next datagram). */
    boolean offlinePending;
    /** Replies go out in the order of the datagrams. */
    CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    private final Channel channel;
    private final UdpEndpoint endpoint;
    private double tokens;
    private long tokensAt = System.nanoTime();

    UdpSession(InetSocketAddress address, LiveSession live, Channel channel, UdpEndpoint endpoint, double burst) {
        this.address = address;
        this.live = live;
        this.channel = channel;
        this.endpoint = endpoint;
        this.tokens = burst;
        this.lastHeardNanos = System.nanoTime();
    }

    /** The token bucket of {@code chat.limits.command-*}, as over TCP. */
    boolean allow(double burst, double perNano) {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - tokensAt) * perNano);
        tokensAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    @Override
    public LiveSession session() {
        return live;
    }

    @Override
    public Executor executor() {
        return channel.eventLoop();
    }

    @Override
    public boolean defersOfflineDelivery() {
        return true;
    }

    @Override
    public void send(OutboundLine event) {
        // Through the task queue even from the loop itself: see ChatConnection.send.
        channel.eventLoop().execute(() -> deliver(event));
    }

    @Override
    public void sendInLoop(OutboundLine event) {
        deliver(event);
    }

    private void deliver(OutboundLine event) {
        if (!endpoint.isCurrent(this)) {
            return;
        }
        live.recordOut(event);
        live.addLinesOut(1);
        if (event.isMessage()) {
            live.addMessagesOut(1);
        }
        datagram(event.bytes());
    }

    /** Writes a reply or events: one datagram, or several split at line boundaries. */
    void write(Response r) {
        if (r.text().isEmpty()) {
            return;
        }
        live.recordOut(r.text());
        live.addLinesOut(r.lines());
        live.addMessagesOut(r.messages());
        byte[] all = r.text().getBytes(StandardCharsets.UTF_8);
        int start = 0;
        while (start < all.length) {
            int end = start;
            int next = start;
            // Take whole lines while they fit; a single longer line goes alone.
            while (next < all.length) {
                int lf = indexOf(all, (byte) '\n', next);
                int lineEnd = lf < 0 ? all.length : lf + 1;
                if (lineEnd - start > SPLIT_AT && end > start) {
                    break;
                }
                end = lineEnd;
                next = lineEnd;
            }
            byte[] part = new byte[end - start];
            System.arraycopy(all, start, part, 0, part.length);
            datagram(part);
            start = end;
        }
    }

    void datagram(byte[] bytes) {
        if (!channel.isWritable()) {
            endpoint.dropped("udp send buffer full");
            return;
        }
        live.addBytesOut(bytes.length);
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), address));
    }

    /** An operator's kick or a ban: the last line, then the session ends. */
    @Override
    public void close(String lastLine, String reason) {
        channel.eventLoop().execute(() -> {
            if (endpoint.isCurrent(this)) {
                live.recordOut(lastLine);
                live.addLinesOut(1);
                datagram(lastLine.getBytes(StandardCharsets.UTF_8));
                endpoint.end(this, reason);
            }
        });
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
