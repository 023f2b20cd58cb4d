package io.chatmsg.session;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface SessionRecordRepository extends JpaRepository<SessionRecord, Long> {

    List<SessionRecord> findByClientIdOrderByIdDesc(String clientId);
}
