package io.chatmsg.gateway;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * Netty's native epoll transport where it loads (Linux on x86-64 or ARM64: fewer
 * system calls and no selector garbage per wake-up), Java NIO elsewhere or when
 * {@code chat.native-transport=false}.
 */
record Transports(
        String name,
        IoHandlerFactory ioHandlers,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends DatagramChannel> datagramChannel) {

    static Transports choose(boolean nativeWanted) {
        if (nativeWanted && Epoll.isAvailable()) {
            return new Transports(
                    "epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollDatagramChannel.class);
        }
        return new Transports("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioDatagramChannel.class);
    }

    /** Why NIO was used although epoll was wanted, or null. */
    static String whyNotNative(boolean nativeWanted) {
        if (!nativeWanted || Epoll.isAvailable()) {
            return null;
        }
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? "unavailable" : cause.toString();
    }
}
