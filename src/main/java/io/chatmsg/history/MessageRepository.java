package io.chatmsg.history;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface MessageRepository extends JpaRepository<Message, Long> {

    List<Message> findByRecipientKeyAndStatusOrderById(String recipientKey, String status);

    List<Message> findBySenderOrderById(String sender);
}
