package io.chatmsg.bench;

/** Reading ASCII lines straight from the input buffer: bytes {@code s} to {@code e}, no strings on the hot path. */
final class Bytes {

    private Bytes() {}

    static boolean starts(byte[] b, int s, int e, String prefix) {
        int n = prefix.length();
        if (e - s < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[s + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The index after the word at {@code p} and the one space after it. */
    static int skipWord(byte[] b, int p, int e) {
        while (p < e && b[p] != ' ') {
            p++;
        }
        return Math.min(e, p + 1);
    }

    static int indexOf(byte[] b, int p, int e, byte x) {
        for (int i = p; i < e; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** The decimal number {@code s..e}, or -1 when it is empty or not all digits. */
    static long parseLong(byte[] b, int s, int e) {
        long v = 0;
        if (s >= e) {
            return -1;
        }
        for (int i = s; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
