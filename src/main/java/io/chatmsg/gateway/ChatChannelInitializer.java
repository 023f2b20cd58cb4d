package io.chatmsg.gateway;

import java.net.InetSocketAddress;

import io.chatmsg.chat.ChatService;
import io.chatmsg.chat.FileTransfers;
import io.chatmsg.chat.FlapDetector;
import io.chatmsg.config.ChatMetrics;
import io.chatmsg.protocol.CommandParser;
import io.chatmsg.protocol.Lines;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionRecorder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.CharsetUtil;

/** Builds each connection's pipeline, in I/O order. */
final class ChatChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final String transport;
    private final GatewayServices shared;
    private final SessionRecorder sessions;
    private final GatewaySettings settings;
    private final ChatMetrics metrics;
    private final ConnectionLimiter limiter;
    private final SslContext tls;
    /** The framer counts a line without its terminator; the protocol's limit includes the LF. */
    private final ChatFrameDecoder.Limits framing;

    ChatChannelInitializer(
            String transport,
            ChatService chat,
            SessionRecorder sessions,
            GatewaySettings settings,
            ChatMetrics metrics,
            ConnectionLimiter limiter,
            FlapDetector flapping,
            SslContext tls,
            FileTransfers transfers) {
        this.transport = transport;
        this.shared = new GatewayServices(
                chat,
                sessions,
                new CommandParser(),
                settings,
                transfers,
                limiter,
                flapping,
                Lines.hello(settings.serverName()),
                new ErrorHandler(metrics),
                new HeartbeatSweep.PerLoop(settings));
        this.sessions = sessions;
        this.settings = settings;
        this.metrics = metrics;
        this.limiter = limiter;
        this.tls = tls;
        this.framing = new ChatFrameDecoder.Limits(
                settings.maxLineLength() - 1, settings.lineDeadline().toMillis());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        InetSocketAddress remote = ch.remoteAddress();
        if (shared.chat().bannedAddress(remote.getAddress()) != null) {
            metrics.refused("banned address");
            ch.writeAndFlush(Unpooled.copiedBuffer(Lines.bye("banned"), CharsetUtil.UTF_8))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String refused = limiter.admit(remote.getAddress());
        if (refused != null) {
            metrics.refused(refused);
            ch.writeAndFlush(Unpooled.copiedBuffer(Lines.bye(refused), CharsetUtil.UTF_8))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        LiveSession session = sessions.open(remote, transport);
        if (session == null) {
            limiter.release(remote.getAddress());
            ch.writeAndFlush(Unpooled.copiedBuffer(Lines.reply(503, "server busy, try later"), CharsetUtil.UTF_8))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ChatConnection connection = new ChatConnection(session, shared.chat(), settings, metrics);
        ChannelPipeline p = ch.pipeline();
        // Bytes are counted as they cross the socket: for TLS, encrypted, before the SslHandler;
        // without TLS, by the flush consolidation itself (one handler context for both).
        if (tls != null) {
            p.addLast(PipelineNames.TRAFFIC, new TrafficCounter(session));
            p.addLast(PipelineNames.TLS, tls.newHandler(ch.alloc()));
            p.addLast(PipelineNames.CLIENT_CERTIFICATE, ClientCertificate.INSTANCE);
            p.addLast(PipelineNames.FLUSH, new FlushConsolidationHandler(256, true));
        } else {
            p.addLast(PipelineNames.FLUSH, new CountingFlushConsolidation(session));
        }
        p.addLast(PipelineNames.SNIFFER, new ProtocolSniffer());
        // The framer asks the connection's rate limiter about each line it frames.
        p.addLast(PipelineNames.FRAMER, new ChatFrameDecoder(framing, new RateLimiter(settings)));
        // FLOW_CONTROL joins (before COMMANDS) only while reading is stopped (ReadPause).
        p.addLast(PipelineNames.LOGIN_DEADLINE, new LoginDeadline(settings));
        // SLOW_CONSUMER joins (before COMMANDS) only while the channel is above the high water mark.
        // Last: it hands each exception to the shared ErrorHandler (no tail handler of its own).
        p.addLast(PipelineNames.COMMANDS, new CommandHandler(shared, connection));
    }
}
