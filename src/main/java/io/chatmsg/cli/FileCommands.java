package io.chatmsg.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The terminal client's {@code /send PATH TO} and {@code /get FILE-ID [DIR]}:
 * PUT with the file's bytes streamed from disk, and GET's bytes streamed to a
 * file (never the whole file in memory), each with a progress bar when large.
 */
final class FileCommands {

    private static final int PIECE = 64 * 1024;

    private final ConsoleIo io;
    /** Where the file of each /get goes, by file id (a GET typed by hand saves here). */
    private final Map<String, Path> getDirectories = new ConcurrentHashMap<>();

    FileCommands(ConsoleIo io) {
        this.io = io;
    }

    /**
     * {@code /send PATH TO}: PATH may hold spaces, TO is the last word. The PUT line
     * and its body go out under {@code lock}, so nothing else is written in between.
     */
    void send(String args, OutputStream out, Object lock) throws IOException {
        String trimmed = args.strip();
        int space = trimmed.lastIndexOf(' ');
        if (space < 0) {
            io.info("usage: /send PATH TO   (TO is a client id or ALL)");
            return;
        }
        Path path = Path.of(trimmed.substring(0, space).strip());
        String to = trimmed.substring(space + 1);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            io.info("/send: no readable file " + path);
            return;
        }
        String name = path.getFileName().toString();
        if (!name.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            io.info("/send: the file name has control characters; rename it first");
            return;
        }
        long size = Files.size(path);
        Progress progress = new Progress(io, "sending " + name, size);
        synchronized (lock) {
            out.write(("PUT " + to + " " + size + " " + name + "\r\n").getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(path)) {
                byte[] buf = new byte[PIECE];
                long left = size;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        // The file shrank while being sent: pad, so the stream stays in step.
                        java.util.Arrays.fill(buf, (byte) 0);
                        n = (int) Math.min(buf.length, left);
                        io.info("/send: " + name + " changed while it was sent; the copy is padded with zeros");
                    }
                    out.write(buf, 0, n);
                    left -= n;
                    progress.advance(n);
                }
            }
            out.flush();
        }
        progress.done();
    }

    /** {@code /get FILE-ID [DIR]}: the GET line to send, or null when the arguments are wrong. */
    String get(String args) {
        String[] words = args.strip().split(" +", 2);
        if (words[0].isEmpty()) {
            io.info("usage: /get FILE-ID [DIR]");
            return null;
        }
        Path dir = Path.of(words.length > 1 ? words[1].strip() : ".");
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            io.info("/get: " + dir + " is not a writable directory");
            return null;
        }
        getDirectories.put(words[0].toLowerCase(java.util.Locale.ROOT), dir);
        return "GET " + words[0];
    }

    /**
     * After {@code 200 GET <id> <size> <name>}: exactly size bytes follow; they go to
     * a new file in the directory the /get named (the current one for a typed GET).
     */
    void receive(String reply, InputStream in) throws IOException {
        String[] parts = reply.split(" ", 5);
        long size = Long.parseLong(parts[3]);
        String name = parts.length > 4 ? safeName(parts[4]) : parts[2];
        Path dir = getDirectories.remove(parts[2]);
        Path target = unused(dir == null ? Path.of(".") : dir, name);
        Path part = target.resolveSibling("." + target.getFileName() + ".part");
        Progress progress = new Progress(io, "receiving " + name, size);
        try (OutputStream file = Files.newOutputStream(part)) {
            byte[] buf = new byte[PIECE];
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("connection closed " + (size - left) + " bytes into " + name);
                }
                file.write(buf, 0, n);
                left -= n;
                progress.advance(n);
            }
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        progress.done();
        io.info("saved " + target.toAbsolutePath().normalize());
    }

    /** The server only sends plain names; a client checks anyway. */
    static String safeName(String name) {
        String s = name.replaceAll("[/\\\\\\p{Cntrl}]", "_");
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "file" : s;
    }

    private static Path unused(Path dir, String name) {
        Path p = dir.resolve(name);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 1; Files.exists(p); i++) {
            p = dir.resolve(stem + " (" + i + ")" + ext);
        }
        return p;
    }

    /** A text progress bar, printed at most twice a second, for transfers of a megabyte or more. */
    static final class Progress {
        private static final long SHOW_FROM = 1024 * 1024;
        private static final int WIDTH = 30;

        private final ConsoleIo io;
        private final String label;
        private final long total;
        private final long start = System.nanoTime();
        private long done;
        private long lastPrint = start;

        Progress(ConsoleIo io, String label, long total) {
            this.io = io;
            this.label = label;
            this.total = total;
        }

        void advance(long n) {
            done += n;
            long now = System.nanoTime();
            if (total >= SHOW_FROM && now - lastPrint > 500_000_000L && done < total) {
                lastPrint = now;
                io.info(bar(done, total, now - start));
            }
        }

        void done() {
            double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            io.info(String.format(
                    "%s: %s in %.1f s (%s/s)", label, bytes(total), seconds, bytes((long) (total / seconds))));
        }

        String bar(long done, long total, long nanos) {
            int filled = (int) (WIDTH * done / total);
            double rate = done / Math.max(1e-3, nanos / 1e9);
            return String.format(
                    "%s [%s%s] %3d%%  %s of %s  %s/s",
                    label,
                    "#".repeat(filled),
                    ".".repeat(WIDTH - filled),
                    100 * done / total,
                    bytes(done),
                    bytes(total),
                    bytes((long) rate));
        }

        static String bytes(long n) {
            if (n < 1024) {
                return n + " B";
            }
            if (n < 1024 * 1024) {
                return String.format("%.1f KB", n / 1024.0);
            }
            if (n < 1024L * 1024 * 1024) {
                return String.format("%.1f MB", n / (1024.0 * 1024));
            }
            return String.format("%.2f GB", n / (1024.0 * 1024 * 1024));
        }
    }
}
