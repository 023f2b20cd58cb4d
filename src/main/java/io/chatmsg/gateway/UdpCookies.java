package io.chatmsg.gateway;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cookies of {@code 428 VERIFY <cookie>}: proof that an address receives
 * datagrams, kept nowhere on the server. A cookie is 16 characters of base64url:
 * the second it was issued (4 bytes) and the first 8 bytes of an HMAC-SHA256,
 * under a random per-process key, over that second and the address and port it
 * was sent to. It is valid from there for {@link #VALIDITY_SECONDS}, from that
 * address and port only. Not thread-safe: one UDP event loop uses it.
 */
final class UdpCookies {

    static final long VALIDITY_SECONDS = 120;
    static final int LENGTH = 16;
    private static final int MAC_BYTES = 8;

    private final Clock clock;
    private final Mac mac;

    UdpCookies(Clock clock) {
        this(clock, randomKey());
    }

    UdpCookies(Clock clock, byte[] key) {
        this.clock = clock;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** A new cookie for {@code to}. */
    String issue(InetSocketAddress to) {
        int second = (int) clock.instant().getEpochSecond();
        ByteBuffer cookie = ByteBuffer.allocate(4 + MAC_BYTES);
        cookie.putInt(second).put(tag(second, to));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cookie.array());
    }

    /** True when {@code cookie} was issued to {@code from} and has not expired. */
    boolean valid(String cookie, InetSocketAddress from) {
        if (cookie.length() != LENGTH) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cookie);
        } catch (IllegalArgumentException e) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int second = b.getInt();
        long age = clock.instant().getEpochSecond() - Integer.toUnsignedLong(second);
        if (age < 0 || age > VALIDITY_SECONDS) {
            return false;
        }
        byte[] tag = new byte[MAC_BYTES];
        b.get(tag);
        return MessageDigest.isEqual(tag, tag(second, from));
    }

    private byte[] tag(int second, InetSocketAddress address) {
        mac.update(ByteBuffer.allocate(4).putInt(second).array());
        mac.update(address.getAddress().getAddress());
        mac.update(ByteBuffer.allocate(2).putShort((short) address.getPort()).array());
        byte[] full = mac.doFinal();
        byte[] tag = new byte[MAC_BYTES];
        System.arraycopy(full, 0, tag, 0, MAC_BYTES);
        return tag;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
