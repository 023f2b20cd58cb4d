package io.chatmsg.files;

import java.time.Duration;

import io.chatmsg.config.BoundedPool;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The two pools of stored files. Both finish what is queued at stop (5 s at
 * most), the disk first: an upload's last step on {@code file-io} stores its
 * row on {@code file-db}.
 */
@Configuration(proxyBeanMethods = false)
class FilesConfiguration {

    private static final Duration GRACE = Duration.ofSeconds(5);

    /** Disk reads and writes of uploads and downloads. */
    @Bean
    BoundedPool fileIoPool(FileProperties files) {
        return new BoundedPool("file-io", files.ioThreads(), files.ioQueueCapacity(), GRACE, BoundedPool.AFTER_GATEWAY);
    }

    /** One thread: the {@code files} table's operations run in the order they were asked for. */
    @Bean
    BoundedPool fileDbPool(FileProperties files) {
        return new BoundedPool("file-db", 1, files.dbQueueCapacity(), GRACE, BoundedPool.AFTER_POOLS);
    }
}
