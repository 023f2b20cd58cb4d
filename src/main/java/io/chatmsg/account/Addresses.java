package io.chatmsg.account;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Client addresses as the sessions report them: literal IPs, or "unknown". */
final class Addresses {

    private Addresses() {}

    /** True for a literal loopback address (all of 127.0.0.0/8, and ::1); never a name lookup. */
    static boolean isLoopback(String ip) {
        boolean literal =
                ip != null && (ip.matches("\\d{1,3}(\\.\\d{1,3}){3}") || ip.matches("[0-9A-Fa-f.]*:[0-9A-Fa-f.:]*"));
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(ip).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
