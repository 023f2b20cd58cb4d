package io.chatmsg.admin;

import java.time.Instant;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

interface ScheduledBroadcastRepository extends JpaRepository<ScheduledBroadcast, Long> {

    List<ScheduledBroadcast> findByStatusAndDueAtLessThanEqualOrderByDueAt(String status, Instant now);

    List<ScheduledBroadcast> findTop50ByOrderByIdDesc();
}
