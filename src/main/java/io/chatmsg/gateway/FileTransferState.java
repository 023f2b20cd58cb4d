package io.chatmsg.gateway;

import java.util.concurrent.CompletableFuture;

import io.chatmsg.chat.FileTransfers;
import io.chatmsg.chat.Response;
import io.chatmsg.protocol.Command;

/**
 * The files of one connection: the PUT whose body is arriving, the order of its
 * uploads, and the GET whose bytes are going out. Created at the connection's
 * first PUT or GET (most connections never make one); event loop only.
 */
final class FileTransferState implements Upload.Flow {

    private static final CompletableFuture<Response> NONE = CompletableFuture.completedFuture(null);

    private final ChatConnection connection;
    private final FileTransfers transfers;
    /** The PUT whose body is arriving, or null. */
    private Upload upload;
    /** The previous upload's reply: the next one starts after it. */
    private CompletableFuture<Response> lastUpload = NONE;
    /** The GET whose bytes are going out: replies and events wait until it is done. */
    private Download download;

    FileTransferState(ChatConnection connection, FileTransfers transfers) {
        this.connection = connection;
        this.transfers = transfers;
    }

    /** A PUT line: its reply (now if refused, else once the body is stored). */
    CompletableFuture<Response> put(Command.Put put) {
        FileTransfers.Admission a = transfers.admit(connection.client(), put);
        if (a.refusal() != null) {
            upload = Upload.refused(a.refusal());
        } else {
            upload = new Upload(a.admitted(), transfers, connection.executor(), this, lastUpload);
            lastUpload = upload.result();
        }
        return upload.result();
    }

    /**
     * A piece of a PUT's body; false when there is no upload for it (the PUT line was
     * refused before it was parsed: 429, invalid UTF-8, a bad name) and it was dropped.
     */
    boolean body(FileBody piece) {
        if (upload == null) {
            piece.data().release();
            return false;
        }
        Upload u = upload;
        if (piece.last()) {
            upload = null;
        }
        u.feed(piece);
        return true;
    }

    CompletableFuture<Response> get(Command.Get get) {
        return transfers.get(connection.client(), get);
    }

    boolean downloading() {
        return download != null;
    }

    /** The GET's reply is written: its bytes follow, and events wait until they are out. */
    void startDownload(Response.Body body) {
        download = new Download(connection.context(), body, transfers.store().io(), () -> {
            transfers.fetched(body);
            download = null;
            connection.downloaded();
        });
        connection.holdEvents();
        download.start();
    }

    /** The client reads again: the download goes on. */
    void writable() {
        if (download != null) {
            download.writable();
        }
    }

    @Override
    public void pauseReading() {
        connection.pauseReading(ChatConnection.PAUSED_BY_UPLOAD);
    }

    @Override
    public void resumeReading() {
        connection.resumeReading(ChatConnection.PAUSED_BY_UPLOAD);
    }

    /** The connection ends: an upload's partial file is removed, a download's file closed. */
    void abort() {
        if (upload != null) {
            upload.abort();
            upload = null;
        }
        if (download != null) {
            download.abort();
        }
    }
}
