package io.chatmsg.account;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface UserRepository extends JpaRepository<User, String> {

    /** Ids (their lower-case keys) starting with {@code prefix}: a range of the primary key. */
    Page<User> findByIdKeyStartingWith(String prefix, Pageable pageable);
}
