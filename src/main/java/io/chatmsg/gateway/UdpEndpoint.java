package io.chatmsg.gateway;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.chatmsg.chat.ChatService;
import io.chatmsg.chat.Response;
import io.chatmsg.config.ChatMetrics;
import io.chatmsg.config.UdpProperties;
import io.chatmsg.protocol.Command;
import io.chatmsg.protocol.CommandParser;
import io.chatmsg.protocol.Lines;
import io.chatmsg.protocol.ProtocolException;
import io.chatmsg.protocol.Redactor;
import io.chatmsg.protocol.ReplyCodes;
import io.chatmsg.session.SessionRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The datagram form (docs/protocol.md, UDP): one command per datagram, the
 * sender's address standing for the connection. {@code PING} needs no login;
 * {@code LOGIN}, {@code MSG}, {@code MSG ALL}, {@code LOGOFF} and {@code WHO}
 * work as over TCP; a session silent for {@code chat.udp.session-timeout} is
 * logged off.
 *
 * <p>Return routability ({@link ReturnRoutability}): a session opens only for
 * an address that proved it receives datagrams. Its first {@code LOGIN} gets
 * {@code 428 VERIFY <cookie>}, its {@code VERIFY <cookie>} proves it. Until then
 * nothing it sends opens a session, counts toward its bans or limits, or costs
 * more than a MAC.
 *
 * <p>No amplification: a datagram from an address that is not logged in gets
 * at most one reply datagram, never more than {@value #STRANGER_EXTRA} bytes
 * longer than itself ({@value #VERIFY_EXTRA} for the {@code 428}; a longer reply
 * is cut to its bare code), and a malformed one gets none (dropped and
 * counted). Messages that waited for an id while it was offline are sent only
 * once its address speaks again after the LOGIN. Everything runs on the UDP
 * channel's one event loop.
 */
final class UdpEndpoint extends ChannelInboundHandlerAdapter {

    static final int STRANGER_EXTRA = 8;
    /** What a {@code 428 VERIFY <cookie>} may add to the LOGIN it answers. */
    static final int VERIFY_EXTRA = 40;

    private final ChatService chat;
    private final SessionRecorder recorder;
    private final CommandParser parser = new CommandParser();
    private final ChatMetrics metrics;
    private final ConnectionLimiter limiter;
    private final int maxDatagram;
    private final long timeoutNanos;
    private final double burst;
    private final double perNano;
    private final Map<InetSocketAddress, UdpSession> sessions = new HashMap<>();
    private final ReturnRoutability routability;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> sweeper;

    UdpEndpoint(
            ChatService chat,
            SessionRecorder recorder,
            ChatMetrics metrics,
            ConnectionLimiter limiter,
            GatewaySettings settings,
            UdpProperties properties,
            Clock clock) {
        this.chat = chat;
        this.routability = new ReturnRoutability(properties, clock);
        this.recorder = recorder;
        this.metrics = metrics;
        this.limiter = limiter;
        this.maxDatagram = (int) properties.maxDatagramSize().toBytes();
        this.timeoutNanos = properties.sessionTimeout().toNanos();
        this.burst = settings.commandBurst();
        this.perNano = settings.commandRate() / 1e9;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        long every = Math.max(100, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4));
        sweeper = ctx.executor().scheduleAtFixedRate(this::expire, every, every, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (UdpSession s : new ArrayList<>(sessions.values())) {
            end(s, "server shutdown");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket p = (DatagramPacket) msg;
        try {
            receive(p.sender(), p.content());
        } finally {
            p.release();
        }
    }

    private void receive(InetSocketAddress from, ByteBuf buf) {
        int size = buf.readableBytes();
        if (size > maxDatagram) {
            dropped("udp datagram too large");
            return;
        }
        UdpSession s = sessions.get(from);
        if (s != null) {
            s.lastHeardNanos = System.nanoTime();
            s.live.addBytesIn(size);
            s.live.addLinesIn(1);
        }
        boolean known = s != null && s.client.loggedIn();
        int cap = known ? -1 : size + STRANGER_EXTRA;
        if (known && s.offlinePending) {
            // The address has spoken again since its LOGIN: what waited for the id goes out now.
            s.offlinePending = false;
            reply(s, from, -1, chat.takeOffline(s.client));
        }
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        if (end > start && buf.getByte(end - 1) == '\n') {
            end--;
            if (end > start && buf.getByte(end - 1) == '\r') {
                end--;
            }
        }
        ByteBuf body = buf.slice(start, end - start);
        if (body.indexOf(0, body.readableBytes(), (byte) '\n') >= 0) {
            malformed(s, known, "one command per datagram");
            return;
        }
        if (!ByteBufUtil.isText(body, StandardCharsets.UTF_8)) {
            malformed(s, known, "invalid UTF-8");
            return;
        }
        String line = body.toString(StandardCharsets.UTF_8);
        Command command;
        try {
            command = parser.parse(line);
        } catch (ProtocolException e) {
            if (s != null) {
                s.live.recordIn(Redactor.redact(line));
            }
            malformed(s, known, e.reason());
            return;
        }
        if (s != null) {
            s.live.recordIn(Redactor.redact(line));
        }
        if (command instanceof Command.Blank || command instanceof Command.Pong) {
            return;
        }
        if (command instanceof Command.Ping ping) {
            reply(
                    s,
                    from,
                    cap,
                    CompletableFuture.completedFuture(
                            Response.reply(ReplyCodes.OK, ping.token().isEmpty() ? "PONG" : "PONG " + ping.token())));
            return;
        }
        if (command instanceof Command.Verify verify) {
            reply(s, from, cap, CompletableFuture.completedFuture(routability.verify(verify.cookie(), from)));
            return;
        }
        if (!worksOverUdp(command)) {
            if (known) {
                reply(
                        s,
                        from,
                        cap,
                        CompletableFuture.completedFuture(Response.reply(
                                ReplyCodes.BAD_REQUEST, verb(line) + " is not available over UDP; use TCP")));
            } else {
                dropped("udp command from a stranger");
            }
            return;
        }
        if (s == null) {
            if (!(command instanceof Command.Login)) {
                reply(
                        null,
                        from,
                        cap,
                        CompletableFuture.completedFuture(Response.reply(ReplyCodes.UNAUTHORIZED, "not logged in")));
                return;
            }
            if (!routability.proved(from)) {
                // Stateless, and the same size whatever the LOGIN: a forged one reflects one short datagram.
                reply(null, from, size + VERIFY_EXTRA, CompletableFuture.completedFuture(routability.challenge(from)));
                return;
            }
            s = open(from, cap);
            if (s == null) {
                return;
            }
            s.live.addBytesIn(size);
            s.live.addLinesIn(1);
            s.live.recordIn(Redactor.redact(line));
        }
        if (!s.allow(burst, perNano)) {
            reply(
                    s,
                    from,
                    cap,
                    CompletableFuture.completedFuture(Response.reply(
                            ReplyCodes.TOO_MANY_REQUESTS, "rate limit: slow down; the command was not executed")));
            return;
        }
        boolean wasLoggedIn = s.client.loggedIn();
        UdpSession session = s;
        CompletableFuture<Response> r = chat.handle(s.client, command);
        reply(s, from, cap, r).thenRun(() -> {
            if (!wasLoggedIn && session.client.loggedIn()) {
                session.offlinePending = true;
            } else if (!session.client.loggedIn() && session.live.clientId() == null) {
                // A LOGIN that failed: a forged or mistaken address keeps no session.
                end(session, "login refused");
            }
        });
    }

    private static boolean worksOverUdp(Command c) {
        return c instanceof Command.Login
                || c instanceof Command.Msg
                || c instanceof Command.MsgAll
                || c instanceof Command.Logoff
                || c instanceof Command.Who;
    }

    private UdpSession open(InetSocketAddress from, int cap) {
        if (chat.bannedAddress(from.getAddress()) != null) {
            dropped("banned address");
            return null;
        }
        String refused = limiter.admit(from.getAddress());
        if (refused != null) {
            metrics.refused(refused);
            reply(null, from, cap, CompletableFuture.completedFuture(Response.reply(ReplyCodes.UNAVAILABLE, refused)));
            return null;
        }
        var live = recorder.open(from.getAddress().getHostAddress() + ":" + from.getPort(), "udp");
        if (live == null) {
            limiter.release(from.getAddress());
            reply(
                    null,
                    from,
                    cap,
                    CompletableFuture.completedFuture(
                            Response.reply(ReplyCodes.UNAVAILABLE, "server busy, try later")));
            return null;
        }
        UdpSession s = new UdpSession(from, live, ctx.channel(), this, burst);
        s.client = chat.connect(s);
        live.control(s);
        sessions.put(from, s);
        return s;
    }

    /**
     * Sends {@code reply} once it and every earlier reply to the same session are
     * done. {@code cap} >= 0: the sender is not logged in, so one datagram of at
     * most {@code cap} bytes.
     */
    private CompletableFuture<?> reply(UdpSession s, InetSocketAddress to, int cap, CompletableFuture<Response> reply) {
        if (s == null) {
            reply.thenAccept(r -> {
                metricsFor(r);
                if (!ctx.channel().isWritable()) {
                    dropped("udp send buffer full");
                    return;
                }
                byte[] bytes = capped(r, cap);
                ctx.writeAndFlush(new DatagramPacket(io.netty.buffer.Unpooled.wrappedBuffer(bytes), to));
            });
            return reply;
        }
        CompletableFuture<?> next = s.tail.thenCombine(reply, (a, r) -> r)
                .thenAcceptAsync(
                        r -> {
                            metricsFor(r);
                            if (cap >= 0) {
                                s.live.recordOut(r.text());
                                s.live.addLinesOut(1);
                                s.datagram(capped(r, cap));
                            } else {
                                s.write(r);
                            }
                        },
                        ctx.executor());
        s.tail = next.exceptionally(e -> null);
        return next;
    }

    private void metricsFor(Response r) {
        if (!r.text().isEmpty() && r.text().charAt(0) >= '4') {
            metrics.refused(r.text().substring(0, 3));
        }
        if (r.messages() > 0) {
            metrics.delivered(r.messages());
        }
    }

    /** The reply's first line, or only its code when that is too long for {@code cap}. */
    static byte[] capped(Response r, int cap) {
        String text = r.text();
        int crlf = text.indexOf(Lines.CRLF);
        String first = crlf < 0 ? text : text.substring(0, crlf + 2);
        byte[] bytes = first.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= cap) {
            return bytes;
        }
        return (first.substring(0, Math.min(3, first.length())) + Lines.CRLF).getBytes(StandardCharsets.UTF_8);
    }

    private void malformed(UdpSession s, boolean known, String reason) {
        if (known) {
            reply(s, s.address, -1, CompletableFuture.completedFuture(Response.reply(ReplyCodes.BAD_REQUEST, reason)));
        } else {
            dropped("udp malformed datagram");
        }
    }

    void dropped(String reason) {
        metrics.refused(reason);
    }

    boolean isCurrent(UdpSession s) {
        return sessions.get(s.address) == s;
    }

    /** Logs the session off (LEAVE to the others) and records how it ended. */
    void end(UdpSession s, String reason) {
        if (sessions.remove(s.address, s)) {
            chat.disconnected(s.client);
            recorder.close(s.live, reason);
            limiter.release(s.address.getAddress());
            routability.sessionEnded(s.address);
        }
    }

    private void expire() {
        routability.expire();
        long now = System.nanoTime();
        List<UdpSession> silent = new ArrayList<>();
        for (UdpSession s : sessions.values()) {
            if (now - s.lastHeardNanos > timeoutNanos) {
                silent.add(s);
            }
        }
        for (UdpSession s : silent) {
            if (s.client.loggedIn()) {
                s.datagram(Lines.bye("idle timeout").getBytes(StandardCharsets.UTF_8));
            }
            end(s, "udp timeout");
        }
    }

    private static String verb(String line) {
        String v = line.strip().split(" ", 2)[0].toUpperCase(Locale.ROOT);
        return v.length() > 32 ? v.substring(0, 32) + "..." : v;
    }
}
