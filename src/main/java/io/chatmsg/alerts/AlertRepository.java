package io.chatmsg.alerts;

import java.util.List;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AlertRepository extends JpaRepository<Alert, Long> {

    Page<Alert> findAllByOrderByRaisedAtDescIdDesc(Pageable pageable);

    List<Alert> findByMailStatus(String mailStatus);
}
