package io.chatmsg.session;

/**
 * The gateway's datagram listener as the rest of the server may see it (the
 * alerts probe it with a UDP PING): implemented by the gateway, so that nothing
 * needs the gateway itself to find its port.
 */
public interface UdpListener {

    /** True from the gateway's start to the beginning of its stop. */
    boolean isRunning();

    /** The bound UDP port, or -1 when UDP is off. */
    int udpPort();
}
