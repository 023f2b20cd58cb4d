package io.chatmsg.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.chatmsg.chat.FileTransfers;
import io.chatmsg.chat.Response;
import io.chatmsg.files.FileStore;
import io.chatmsg.protocol.ReplyCodes;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PUT's body on its way to disk. The event loop only hands pieces over;
 * the writes, the SHA-256 and the final sync run one after another on the
 * file I/O threads. When more than {@value #PAUSE_ABOVE} bytes wait to be
 * written the connection stops reading until the disk has caught up, so a
 * 1 GB upload holds about a megabyte of heap, whatever its size.
 *
 * <p>A refused PUT (its reply is already known) reads its body and drops it.
 */
final class Upload {

    private static final Logger log = LoggerFactory.getLogger(Upload.class);

    static final int PAUSE_ABOVE = 1 << 20;
    static final int RESUME_BELOW = 256 << 10;

    private final CompletableFuture<Response> result;
    private final FileTransfers.Admitted admitted;
    private final FileTransfers transfers;
    private final Executor io;
    private final Executor loop;
    private final Flow flow;

    // Event loop only.
    private long waiting;
    private boolean paused;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private volatile boolean aborted;

    // I/O chain only (one task at a time, in order).
    private Path temp;
    private FileChannel channel;
    private MessageDigest sha;
    private Exception failure;

    /** How the upload asks its connection to stop and resume reading. */
    interface Flow {
        void pauseReading();

        void resumeReading();
    }

    static Upload refused(Response reply) {
        return new Upload(reply);
    }

    private Upload(Response reply) {
        this.result = CompletableFuture.completedFuture(reply);
        this.admitted = null;
        this.transfers = null;
        this.io = null;
        this.loop = null;
        this.flow = null;
    }

    /**
     * Starts once {@code after} (the connection's previous upload) has finished, so a
     * client's files are stored, and announced to their recipients, in the order sent.
     */
    Upload(
            FileTransfers.Admitted admitted,
            FileTransfers transfers,
            Executor loop,
            Flow flow,
            CompletableFuture<?> after) {
        this.result = new CompletableFuture<>();
        this.tail = after.handle((r, e) -> null);
        this.admitted = admitted;
        this.transfers = transfers;
        this.io = transfers.store().io();
        this.loop = loop;
        this.flow = flow;
        chain(this::open);
    }

    /** The PUT's reply: at once for a refusal, else once the file is stored. */
    CompletableFuture<Response> result() {
        return result;
    }

    /** A piece of the body, on the event loop; the piece is released here or by the writer. */
    void feed(FileBody piece) {
        ByteBuf data = piece.data();
        if (admitted == null || aborted) {
            data.release();
            return;
        }
        int n = data.readableBytes();
        if (n > 0) {
            waiting += n;
            chain(() -> write(data)).whenComplete((v, e) -> loop.execute(() -> written(n)));
            if (!paused && waiting > PAUSE_ABOVE) {
                paused = true;
                flow.pauseReading();
            }
        } else {
            data.release();
        }
        if (piece.last()) {
            chain(this::finish);
        }
    }

    /** The connection closed before the body was complete: nothing of it stays. */
    void abort() {
        if (admitted == null || aborted || result.isDone()) {
            return;
        }
        aborted = true;
        chain(() -> {
            discard();
            transfers.abandoned(admitted);
            result.cancel(false);
        });
    }

    private CompletableFuture<Void> chain(Runnable step) {
        tail = tail.thenRunAsync(step, io);
        return tail;
    }

    private void written(long n) {
        waiting -= n;
        if (paused && waiting < RESUME_BELOW) {
            paused = false;
            flow.resumeReading();
        }
    }

    private void open() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
            temp = transfers.store().newIncoming();
            channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        } catch (IOException | NoSuchAlgorithmException e) {
            failure = e;
        }
    }

    private void write(ByteBuf data) {
        try {
            if (failure != null || aborted) {
                return;
            }
            for (ByteBuffer b : data.nioBuffers()) {
                sha.update(b.duplicate());
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            data.release();
        }
    }

    private void finish() {
        if (aborted) {
            return;
        }
        try {
            if (failure == null) {
                channel.force(true);
                channel.close();
                channel = null;
            }
        } catch (IOException e) {
            failure = e;
        }
        if (failure != null) {
            log.warn("upload of {} from {} failed: {}", admitted.name(), admitted.from(), failure.toString());
            discard();
            transfers.abandoned(admitted);
            result.complete(Response.reply(ReplyCodes.UNAVAILABLE, "could not store the file, try again"));
            return;
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        transfers.stored(admitted, temp, digest).whenComplete((r, e) -> result.complete(r));
    }

    private void discard() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // Closing to delete: nothing more to do.
        }
        if (temp != null) {
            FileStore.deleteQuietly(temp);
        }
    }
}
