package io.chatmsg.files;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import io.chatmsg.config.ChatProperties;
import io.chatmsg.config.LimitsProperties;
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
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** FileStore's bookkeeping with a repository that fails on demand (no database needed). */
class FileStoreTests {

    @TempDir
    Path dataDir;

    StoredFileRepository repository = mock(StoredFileRepository.class);
    FileStore store;

    @BeforeEach
    void start() throws Exception {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("chat.data-dir", dataDir.toString())));
        store = new FileStore(
                binder.bindOrCreate("chat", ChatProperties.class),
                binder.bindOrCreate("chat.limits", LimitsProperties.class),
                binder.bindOrCreate("chat.files", FileProperties.class),
                repository,
                Clock.systemUTC(),
                mock(TaskScheduler.class));
    }

    @AfterEach
    void stop() throws Exception {
        store.destroy();
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
}
