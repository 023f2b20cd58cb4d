package io.chatmsg.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.chatmsg.config.BoundedPool;
import io.chatmsg.config.ChatProperties;
import io.chatmsg.config.LimitsProperties;
import io.chatmsg.config.NodeIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.scheduling.TaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** FileStore's bookkeeping with a repository that fails on demand (no database needed). */
class FileStoreTests {

    @TempDir
    Path dataDir;

    StoredFileRepository repository = mock(StoredFileRepository.class);
    FileStore store;
    BoundedPool io;
    BoundedPool db;

    @BeforeEach
    void start() throws Exception {
        store = store();
    }

    /** A store with its pools as the application makes them, {@code chat.files.*} set by {@code keyValues}. */
    private FileStore store(String... keyValues) throws Exception {
        Map<String, String> map = new HashMap<>(Map.of("chat.data-dir", dataDir.toString()));
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put("chat.files." + keyValues[i], keyValues[i + 1]);
        }
        Binder binder = new Binder(new MapConfigurationPropertySource(map));
        FileProperties files = binder.bindOrCreate("chat.files", FileProperties.class);
        if (io != null) {
            stop();
        }
        io = new FilesConfiguration().fileIoPool(files);
        db = new FilesConfiguration().fileDbPool(files);
        return new FileStore(
                binder.bindOrCreate("chat", ChatProperties.class),
                binder.bindOrCreate("chat.limits", LimitsProperties.class),
                files,
                repository,
                Clock.systemUTC(),
                mock(TaskScheduler.class),
                io,
                db,
                new NodeIdentity("test", false));
    }

    @AfterEach
    void stop() {
        io.destroy();
        db.destroy();
    }

    @Test
    void aFailedTakeOfPendingNoticesKeepsThemPendingForTheNextLogin() {
        StoredFile waiting = new StoredFile(
                "k3xq7d2mzp4a",
                "alice",
                "127.0.0.1",
                "bob",
                "a.txt",
                1,
                "00",
                Clock.systemUTC().instant(),
                false);
        when(repository.findByToKeyAndNotifiedFalseOrderByCreatedAt("bob"))
                .thenThrow(new QueryTimeoutException("database busy"))
                .thenReturn(List.of(waiting));
        when(repository.saveAll(anyList())).thenAnswer(i -> i.getArgument(0));
        store.markPending("bob");

        assertThat(store.claimPending("bob")).isTrue();
        assertThatThrownBy(() -> store.takePending("bob").join()).isInstanceOf(CompletionException.class);

        // The next LOGIN finds the mark again and gets the notice.
        assertThat(store.claimPending("bob")).isTrue();
        assertThat(store.takePending("bob").join()).containsExactly(waiting);
        assertThat(waiting.isNotified()).isTrue();
        assertThat(store.claimPending("bob")).isFalse();
    }

    @Test
    void thePoolsAreNamedAndSizedByTheirProperties() throws Exception {
        assertThat(io.getMaximumPoolSize()).isEqualTo(2);
        assertThat(io.queueCapacity()).isEqualTo(100_000);
        assertThat(db.getMaximumPoolSize()).isEqualTo(1);
        assertThat(db.queueCapacity()).isEqualTo(100_000);

        store = store("io-threads", "3", "io-queue-capacity", "64", "db-queue-capacity", "32");

        assertThat(io.getMaximumPoolSize()).isEqualTo(3);
        assertThat(io.queueCapacity()).isEqualTo(64);
        assertThat(db.queueCapacity()).isEqualTo(32);
        CompletableFuture<String> ioThread = new CompletableFuture<>();
        store.io().execute(() -> ioThread.complete(Thread.currentThread().getName()));
        assertThat(ioThread.get(5, TimeUnit.SECONDS)).startsWith("file-io-");
        CompletableFuture<String> dbThread = new CompletableFuture<>();
        when(repository.findById("k3xq7d2mzp4a")).thenAnswer(i -> {
            dbThread.complete(Thread.currentThread().getName());
            return Optional.empty();
        });
        assertThat(store.find("k3xq7d2mzp4a").get(5, TimeUnit.SECONDS)).isNull();
        assertThat(dbThread.getNow(null)).startsWith("file-db-");
    }

    @Test
    void beyondTheDatabaseQueueAnOperationFailsAsADatabaseErrorWould() throws Exception {
        store = store("db-queue-capacity", "16");
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        when(repository.findById(anyString())).thenAnswer(i -> {
            busy.countDown();
            held.await(10, TimeUnit.SECONDS);
            return Optional.empty();
        });
        List<CompletableFuture<StoredFile>> queued = new ArrayList<>();
        queued.add(store.find("aaaaaaaaaaaa"));
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 16; i++) {
            queued.add(store.find("aaaaaaaaaaaa"));
        }
        Path upload = store.newIncoming();

        CompletableFuture<StoredFile> refused = store.find("aaaaaaaaaaaa");
        CompletableFuture<StoredFile> refusedCommit =
                store.commit(upload, "alice", "127.0.0.1", "bob", "a.txt", 1, "00");
        store.notified("aaaaaaaaaaaa"); // nobody waits for it: dropped, never thrown

        assertThat(refused.handle((f, e) -> e).join()).isInstanceOf(RejectedExecutionException.class);
        assertThat(refusedCommit.handle((f, e) -> e).join()).isInstanceOf(RejectedExecutionException.class);
        assertThat(Files.exists(upload)).as("the refused upload's bytes").isFalse();
        held.countDown();
        for (CompletableFuture<StoredFile> f : queued) {
            assertThat(f.get(5, TimeUnit.SECONDS)).isNull();
        }
    }
}
