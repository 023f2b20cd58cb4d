package io.chatmsg.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateways the clients log in to: one (HOST PORT), or the nodes of a cluster
 * ({@code --hosts}), client {@code i} on gateway {@code i % n}. Knowing where each
 * client is, the engine can tell which direct messages cross from one node to another.
 */
public record Gateways(List<InetSocketAddress> addresses) {

    public Gateways {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no gateway");
        }
        addresses = List.copyOf(addresses);
    }

    /** One gateway: every client on it. */
    public static Gateways one(InetAddress address, int port) {
        return new Gateways(List.of(new InetSocketAddress(address, port)));
    }

    /**
     * {@code HOST:PORT,HOST:PORT,...} ({@code [::1]:PORT} for an IPv6 address), the host
     * resolved once here. Throws with a one-line reason, for {@code bench: <reason>}.
     */
    public static Gateways parse(String list) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String item : list.split(",", -1)) {
            int colon = item.lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("--hosts takes HOST:PORT,HOST:PORT,...; not '" + item + "'");
            }
            String host = item.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(item.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--hosts: port must be from 1 to 65535 in '" + item + "'");
            }
            try {
                addresses.add(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--hosts: unknown host " + host, e);
            }
        }
        if (addresses.size() > 64) {
            throw new IllegalArgumentException("--hosts takes at most 64 gateways");
        }
        return new Gateways(addresses);
    }

    public int size() {
        return addresses.size();
    }

    /** The gateway of client {@code i}. */
    InetSocketAddress of(int client) {
        return addresses.get(client % addresses.size());
    }

    /** Whether a message from client {@code from} to client {@code to} goes from one gateway to another. */
    boolean crosses(int from, int to) {
        return from % addresses.size() != to % addresses.size();
    }

    /** {@code host:port} of each, as the JSON line names them. */
    List<String> names() {
        return addresses.stream().map(Gateways::name).toList();
    }

    static String name(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
