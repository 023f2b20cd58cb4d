package io.chatmsg.session;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

public interface SessionRecordRepository
        extends JpaRepository<SessionRecord, Long>, JpaSpecificationExecutor<SessionRecord> {

    List<SessionRecord> findByClientIdOrderByIdDesc(String clientId);
}
