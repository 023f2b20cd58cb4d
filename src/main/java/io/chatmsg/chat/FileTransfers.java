package io.chatmsg.chat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import io.chatmsg.account.UserDirectory;
import io.chatmsg.files.FileStore;
import io.chatmsg.protocol.ClientIds;
import io.chatmsg.protocol.Command;
import io.chatmsg.protocol.Lines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import static io.chatmsg.protocol.ReplyCodes.CREATED;
import static io.chatmsg.protocol.ReplyCodes.FORBIDDEN;
import static io.chatmsg.protocol.ReplyCodes.NOT_FOUND;
import static io.chatmsg.protocol.ReplyCodes.OK;
import static io.chatmsg.protocol.ReplyCodes.TOO_LARGE;
import static io.chatmsg.protocol.ReplyCodes.UNAUTHORIZED;
import static io.chatmsg.protocol.ReplyCodes.UNAVAILABLE;

/**
 * The decisions of PUT and GET (docs/protocol.md); the gateway moves the
 * bytes. A PUT is checked when its line arrives, in this order: 401 not logged
 * in, 413 over {@code chat.limits.max-file-size}, 404 unknown recipient, 413
 * over the sender's quota (per id, then per address), 413 over the server's
 * total storage (the parser has already answered 400 for a bad name). Whatever
 * the answer, the gateway reads the body to its end, except after 401: a PUT
 * before LOGIN is answered, then the connection is closed unread.
 */
@Service
public class FileTransfers {

    private static final Logger log = LoggerFactory.getLogger(FileTransfers.class);

    /** 401, then BYE and close: the gateway does not read the body of a PUT before LOGIN. */
    static final Response PUT_BEFORE_LOGIN =
            new Response(Lines.reply(UNAUTHORIZED, "not logged in") + Lines.bye("PUT before LOGIN"), 2, 0, true);

    private final UserDirectory users;
    private final MessageRouter router;
    private final FileStore store;

    FileTransfers(UserDirectory users, MessageRouter router, FileStore store) {
        this.users = users;
        this.router = router;
        this.store = store;
    }

    public FileStore store() {
        return store;
    }

    /** A PUT that may go ahead: the sender's quota is reserved for it ({@code address} is the sender's). */
    public record Admitted(ChatClient sender, String from, String address, String to, String name, long size) {}

    /** Either {@code admitted} or {@code refusal} is set. */
    public record Admission(Admitted admitted, Response refusal) {}

    public Admission admit(ChatClient client, Command.Put put) {
        if (!client.loggedIn()) {
            return refuse(PUT_BEFORE_LOGIN);
        }
        if (put.size() > store.maxFileSize()) {
            return refuse(Response.reply(
                    TOO_LARGE, "file too large: " + put.size() + " bytes, the limit is " + store.maxFileSize()));
        }
        String to = ClientIds.ALL;
        if (!put.broadcast()) {
            to = users.displayId(put.target());
            if (to == null) {
                return refuse(Response.reply(NOT_FOUND, "no such client " + put.target()));
            }
        }
        String address = client.connection.session().remoteIp();
        FileStore.Refusal refusal = store.reserve(client.key, address, put.size());
        if (refusal != null) {
            return refuse(Response.reply(
                    TOO_LARGE,
                    switch (refusal) {
                        case ID_QUOTA -> "over your file quota; ask an operator to delete old files";
                        case ADDRESS_QUOTA -> "over your address's file quota; ask an operator to delete old files";
                        case STORAGE_FULL -> "server file storage full";
                    }));
        }
        return new Admission(new Admitted(client, client.displayId, address, to, put.name(), put.size()), null);
    }

    private static Admission refuse(Response r) {
        return new Admission(null, r);
    }

    /** The body is complete and synced in {@code complete}: store it, tell the recipients, 201. */
    public CompletableFuture<Response> stored(Admitted a, Path complete, String sha256) {
        return store.commit(complete, a.from(), a.address(), a.to(), a.name(), a.size(), sha256)
                .thenApply(f -> {
                    int now = router.fileSent(a.sender(), f);
                    log.debug(
                            "file {} ({} bytes) from {} to {}: {} notified now",
                            f.getId(),
                            a.size(),
                            a.from(),
                            a.to(),
                            now);
                    return Response.reply(CREATED, "PUT " + f.getId());
                })
                .exceptionally(e -> {
                    store.release(ClientIds.fold(a.from()), a.address(), a.size());
                    log.warn("upload of {} from {} failed: {}", a.name(), a.from(), e.getMessage());
                    return Response.reply(UNAVAILABLE, "could not store the file, try again");
                });
    }

    /** The upload did not complete (connection lost, disk error): its quota is freed. */
    public void abandoned(Admitted a) {
        store.release(ClientIds.fold(a.from()), a.address(), a.size());
    }

    /** GET: 401, 404 unknown, 403 not addressed to you, else 200 with the bytes to follow. */
    public CompletableFuture<Response> get(ChatClient client, Command.Get get) {
        if (!client.loggedIn()) {
            return CompletableFuture.completedFuture(Response.reply(UNAUTHORIZED, "not logged in"));
        }
        String key = client.key;
        return store.find(get.fileId())
                .thenApply(f -> {
                    if (f == null) {
                        return Response.reply(NOT_FOUND, "no such file " + get.fileId());
                    }
                    if (!f.isFor(key)) {
                        return Response.reply(FORBIDDEN, "file " + f.getId() + " was not sent to you");
                    }
                    Path content = store.content(f);
                    if (!Files.isRegularFile(content)) {
                        log.warn("file {} has a row but no content at {}", f.getId(), content);
                        return Response.reply(NOT_FOUND, "no such file " + get.fileId());
                    }
                    return new Response(
                            Lines.reply(OK, "GET " + f.getId() + " " + f.getSize() + " " + f.getName()),
                            1,
                            0,
                            false,
                            new Response.Body(content, f.getSize(), f.getId(), key));
                })
                .exceptionally(e -> Response.reply(UNAVAILABLE, "server busy, try again"));
    }

    /** A GET's bytes went out in full. */
    public void fetched(Response.Body body) {
        store.downloaded(body.fileId(), body.fetchedBy());
    }
}
