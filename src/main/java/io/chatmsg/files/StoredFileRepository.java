package io.chatmsg.files;

import java.time.Instant;
import java.util.List;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface StoredFileRepository extends JpaRepository<StoredFile, String> {

    List<StoredFile> findByToKeyAndNotifiedFalseOrderByCreatedAt(String toKey);

    List<StoredFile> findByCreatedAtBefore(Instant before);

    @Query("select f.fromKey, f.fromAddress, sum(f.size) from StoredFile f group by f.fromKey, f.fromAddress")
    List<Object[]> usageBySender();

    @Query("select distinct f.toKey from StoredFile f where f.notified = false")
    List<String> keysWithPendingNotices();

    @Query("select f from StoredFile f where (:who is null or f.fromKey = :who or f.toKey = :who)"
            + " order by f.createdAt desc")
    Page<StoredFile> search(String who, Pageable pageable);
}
