package io.chatmsg.admin;

import java.time.Instant;
import java.util.List;
import jakarta.persistence.LockModeType;
import jakarta.persistence.QueryHint;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.QueryHints;
import org.springframework.data.repository.query.Param;

interface ScheduledBroadcastRepository extends JpaRepository<ScheduledBroadcast, Long> {

    List<ScheduledBroadcast> findByStatusAndDueAtLessThanEqualOrderByDueAt(String status, Instant now);

    List<ScheduledBroadcast> findTop50ByOrderByIdDesc();

    /**
     * Cluster mode: the due ones no other node is sending right now, locked until this
     * transaction ends ({@code FOR UPDATE SKIP LOCKED}): each is sent by one node only.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @QueryHints(@QueryHint(name = "jakarta.persistence.lock.timeout", value = "-2"))
    @Query("select b from ScheduledBroadcast b where b.status = :status and b.dueAt <= :now order by b.dueAt")
    List<ScheduledBroadcast> lockDue(@Param("status") String status, @Param("now") Instant now);
}
