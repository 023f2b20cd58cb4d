package io.chatmsg.gateway;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.chatmsg.chat.ChatService;
import io.chatmsg.chat.FileTransfers;
import io.chatmsg.chat.FlapDetector;
import io.chatmsg.config.ChatMetrics;
import io.chatmsg.config.ChatProperties;
import io.chatmsg.config.LimitsProperties;
import io.chatmsg.config.StartupProblem;
import io.chatmsg.config.TlsProperties;
import io.chatmsg.config.UdpProperties;
import io.chatmsg.session.LatencyProperties;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionRecorder;
import io.chatmsg.session.UdpListener;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Binds the chat listeners when the application starts and takes them down
 * gracefully when it stops: no new connections, every reply already owed is
 * finished (the database writer stops after us), then {@code BYE server
 * shutting down} and close.
 */
@Component
public class ChatGateway implements SmartLifecycle, UdpListener {

    private static final Logger log = LoggerFactory.getLogger(ChatGateway.class);

    private final ChatProperties properties;
    private final GatewaySettings settings;
    private final ChatService chat;
    private final SessionRecorder sessions;
    private final ChatMetrics metrics;
    private final ConnectionLimiter limiter;
    private final FlapDetector flapping;
    private final TlsProperties tls;

    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Transports transports;
    private Channel tcp;
    private Channel tlsChannel;
    private volatile boolean running;

    private final FileTransfers transfers;
    private final UdpProperties udpProperties;
    private Channel udp;
    private final Clock clock;

    ChatGateway(
            Clock clock,
            ChatProperties properties,
            LimitsProperties limits,
            ChatService chat,
            SessionRecorder sessions,
            ChatMetrics metrics,
            TlsProperties tls,
            FileTransfers transfers,
            UdpProperties udp,
            LatencyProperties latency,
            FlapDetector flapping) {
        this.flapping = flapping;
        this.udpProperties = udp;
        this.transfers = transfers;
        this.tls = tls;
        this.metrics = metrics;
        this.properties = properties;
        this.settings = GatewaySettings.from(properties, limits, latency);
        this.clock = clock;
        this.limiter = new ConnectionLimiter(limits);
        this.chat = chat;
        this.sessions = sessions;
    }

    @Override
    public void start() {
        transports = Transports.choose(properties.nativeTransport());
        String whyNot = Transports.whyNotNative(properties.nativeTransport());
        if (whyNot != null) {
            log.info("native epoll transport not available ({}): using Java NIO", whyNot);
        }
        boss = new MultiThreadIoEventLoopGroup(1, transports.ioHandlers());
        workers = new MultiThreadIoEventLoopGroup(properties.eventLoops(), transports.ioHandlers());
        log.info(
                "{} event loop{} for the chat sockets",
                properties.eventLoops(),
                properties.eventLoops() == 1 ? "" : "s");
        // The plain TCP port last: once it accepts, every other listener answers too
        // (a client, or a health check, that waits for TCP may use UDP and TLS at once).
        if (udpProperties.enabled()) {
            udp = bindUdp();
        }
        if (tls.enabled()) {
            SslContext context = TlsContexts.server(tls, properties.dataDir(), properties.serverName());
            tlsChannel = bind("tls", tls.port(), context);
        }
        tcp = bindTcp();
        io.micrometer.core.instrument.Gauge.builder("chat.eventloop.tasks", this, ChatGateway::queuedTasks)
                .description("tasks queued on the connections' event loops (events on their way among them)")
                .register(metrics.registry());
        running = true;
        log.info("CHAT-MSG/1 listening on tcp {}:{} ({})", properties.bindAddress(), port(), transports.name());
        if (udp != null) {
            log.info("CHAT-MSG/1 listening on udp {}:{}", properties.bindAddress(), udpPort());
        }
        if (tlsChannel != null) {
            log.info("CHAT-MSG/1 listening on tls {}:{}", properties.bindAddress(), tlsPort());
        }
    }

    /**
     * The plain listener on {@code chat.port}; with {@code chat.port=0} and UDP on the
     * default port, the number UDP got when TCP may have it too, else any free one.
     */
    private Channel bindTcp() {
        if (properties.port() == 0 && udp != null && udpProperties.port() == null) {
            ChannelFuture same = serverBootstrap("tcp", null)
                    .bind(properties.bindAddress(), udpPort())
                    .awaitUninterruptibly();
            if (same.isSuccess()) {
                return same.channel();
            }
        }
        return bind("tcp", properties.port(), null);
    }

    private Channel bind(String transport, int port, SslContext context) {
        ServerBootstrap b = serverBootstrap(transport, context);
        try {
            return b.bind(properties.bindAddress(), port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the chat port", e);
        } catch (Exception e) {
            shutdownGroups();
            throw new StartupProblem(
                    "cannot listen on " + properties.bindAddress() + ":" + port + " for CHAT-MSG over " + transport
                            + " (" + e.getMessage() + ")",
                    "Stop what uses that port (is the gateway already running?), or set "
                            + (context == null ? "chat.port" : "chat.tls.port") + ".",
                    e);
        }
    }

    private static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator();

    private ServerBootstrap serverBootstrap(String transport, SslContext context) {
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // One allocator for every connection (it is only configuration; Netty's default
                // is a new one per channel); each channel still sizes its own reads.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, READS)
                .childOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(
                                (int) Math.min(Integer.MAX_VALUE / 2, settings.slowConsumerBacklog() / 2),
                                (int) Math.min(Integer.MAX_VALUE, settings.slowConsumerBacklog())))
                .childHandler(new ChatChannelInitializer(
                        transport, chat, sessions, settings, metrics, limiter, flapping, context, transfers));
    }

    /**
     * The datagram listener on {@code chat.udp.port}, or by default on {@code chat.port}'s
     * number (with {@code chat.port=0}: any free one, which TCP then takes too if it can).
     */
    private Channel bindUdp() {
        Integer configured = udpProperties.port();
        int port = configured != null ? configured : properties.port();
        UdpEndpoint endpoint = new UdpEndpoint(chat, sessions, metrics, limiter, settings, udpProperties, clock);
        Bootstrap b = new Bootstrap()
                .group(workers)
                .channel(transports.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                // One byte more than allowed: a datagram that fills it was too large.
                .option(
                        ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(
                                (int) udpProperties.maxDatagramSize().toBytes() + 1))
                .handler(endpoint);
        try {
            return b.bind(properties.bindAddress(), port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the UDP port", e);
        } catch (Exception e) {
            shutdownGroups();
            throw new StartupProblem(
                    "cannot listen on " + properties.bindAddress() + ":" + port + " for CHAT-MSG over udp ("
                            + e.getMessage() + ")",
                    "Stop what uses that UDP port, set chat.udp.port, or chat.udp.enabled=false.",
                    e);
        }
    }

    /**
     * Tasks queued on the connections' event loops and not yet run (events on their
     * way to clients among them): bounded whatever the clients do.
     */
    public int queuedTasks() {
        int n = 0;
        EventLoopGroup group = workers;
        if (group != null) {
            for (io.netty.util.concurrent.EventExecutor e : group) {
                if (e instanceof io.netty.util.concurrent.SingleThreadEventExecutor loop) {
                    n += loop.pendingTasks();
                }
            }
        }
        return n;
    }

    /** The bound UDP port, or -1 when UDP is off. */
    public int udpPort() {
        return udp == null ? -1 : ((InetSocketAddress) udp.localAddress()).getPort();
    }

    /** The bound TLS port, or -1 when TLS is off. */
    public int tlsPort() {
        return tlsChannel == null ? -1 : ((InetSocketAddress) tlsChannel.localAddress()).getPort();
    }

    /** {@code epoll} or {@code nio}: the Netty transport the sockets run on. */
    public String transport() {
        return transports == null ? null : transports.name();
    }

    /** The bound TCP port (useful with {@code chat.port=0}). */
    public int port() {
        return ((InetSocketAddress) tcp.localAddress()).getPort();
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        Duration timeout = properties.shutdownTimeout();
        tcp.close().awaitUninterruptibly();
        if (udp != null) {
            udp.close().awaitUninterruptibly();
        }
        if (tlsChannel != null) {
            tlsChannel.close().awaitUninterruptibly();
        }
        // The open connections, found through their sessions (no group entry per connection while it lives).
        ChannelGroup channels = new DefaultChannelGroup("chat-clients", GlobalEventExecutor.INSTANCE);
        for (LiveSession s : sessions.live()) {
            if (s.control() instanceof ChatConnection c && c.context() != null) {
                channels.add(c.context().channel());
            }
        }
        int open = channels.size();
        for (Channel ch : channels) {
            CommandHandler h = ch.pipeline().get(CommandHandler.class);
            if (h != null) {
                ch.eventLoop().execute(h::shutdown);
            }
        }
        if (!channels.newCloseFuture().awaitUninterruptibly(timeout.toMillis())) {
            log.warn("{} connections did not finish within {}; closing them", channels.size(), timeout);
            channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        shutdownGroups();
        log.info("CHAT-MSG gateway stopped; {} connections closed", open);
    }

    private void shutdownGroups() {
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server and long before the database writer. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
