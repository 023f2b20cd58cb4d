package io.chatmsg.gateway;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;

import io.chatmsg.chat.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GET's bytes, streamed from disk after its reply line. Pieces are read on
 * the file I/O threads and written on the event loop, one at a time and only
 * while the channel is writable, so a slow reader holds at most the write
 * buffer's high-water mark, and one that stops reading meets the
 * slow-consumer rule like any other.
 */
final class Download {

    private static final Logger log = LoggerFactory.getLogger(Download.class);
    private static final int PIECE = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private final Response.Body body;
    private final Executor io;
    private final Runnable done;

    // Event loop only.
    private FileChannel file;
    private long sent;
    private boolean reading;
    private boolean finished;

    Download(ChannelHandlerContext ctx, Response.Body body, Executor io, Runnable done) {
        this.ctx = ctx;
        this.body = body;
        this.io = io;
        this.done = done;
    }

    void start() {
        reading = true;
        io.execute(() -> {
            try {
                FileChannel f = FileChannel.open(body.path(), StandardOpenOption.READ);
                ctx.executor().execute(() -> opened(f));
            } catch (IOException e) {
                ctx.executor().execute(() -> failed(e));
            }
        });
    }

    /** The channel became writable again: go on. */
    void writable() {
        pump();
    }

    /** The connection is closing: stop, release the file. */
    void abort() {
        if (!finished) {
            finished = true;
            closeFile();
        }
    }

    private void opened(FileChannel f) {
        reading = false;
        if (finished) {
            closeQuietly(f);
            return;
        }
        file = f;
        pump();
    }

    private void pump() {
        while (!finished && !reading && file != null && ctx.channel().isWritable()) {
            if (sent == body.size()) {
                finished = true;
                closeFile();
                ctx.flush();
                done.run();
                return;
            }
            int n = (int) Math.min(PIECE, body.size() - sent);
            long position = sent;
            reading = true;
            ByteBuf buf = ctx.alloc().directBuffer(n);
            FileChannel f = file;
            io.execute(() -> {
                try {
                    while (buf.writerIndex() < n) {
                        if (buf.writeBytes(f, position + buf.writerIndex(), n - buf.writerIndex()) < 0) {
                            throw new IOException("file shorter than recorded");
                        }
                    }
                    ctx.executor().execute(() -> read(buf));
                } catch (IOException e) {
                    buf.release();
                    ctx.executor().execute(() -> failed(e));
                }
            });
        }
    }

    private void read(ByteBuf buf) {
        reading = false;
        if (finished || !ctx.channel().isActive()) {
            buf.release();
            abort();
            return;
        }
        sent += buf.readableBytes();
        ctx.writeAndFlush(buf);
        pump();
    }

    /** The promised size cannot be sent: the only honest end is to close the connection. */
    private void failed(IOException e) {
        reading = false;
        log.warn("GET {}: reading {} failed after {} bytes: {}", body.fileId(), body.path(), sent, e.toString());
        abort();
        ctx.close();
    }

    private void closeFile() {
        if (file != null) {
            closeQuietly(file);
            file = null;
        }
    }

    private static void closeQuietly(FileChannel f) {
        try {
            f.close();
        } catch (IOException ignored) {
            // Read-only: nothing was lost.
        }
    }
}
