package io.chatmsg.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.chatmsg.config.ChatProperties;
import org.springframework.stereotype.Component;

/** Size of the H2 file in the data dir (0 when the database lives elsewhere). */
@Component
class DatabaseSize {

    private final Path file;

    DatabaseSize(ChatProperties chat) {
        this.file = chat.dataDir().resolve("chatmsg.mv.db");
    }

    long bytes() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
