package io.chatmsg.history;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

public interface MessageRepository extends JpaRepository<Message, Long>, JpaSpecificationExecutor<Message> {

    List<Message> findByRecipientKeyAndStatusOrderById(String recipientKey, String status);

    List<Message> findBySenderOrderById(String sender);
}
