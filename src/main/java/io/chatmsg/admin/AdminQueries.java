package io.chatmsg.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;

import io.chatmsg.account.User;
import io.chatmsg.account.UserRepository;
import io.chatmsg.chat.ChatService;
import io.chatmsg.history.Message;
import io.chatmsg.history.MessageLog;
import io.chatmsg.history.MessageRepository;
import io.chatmsg.protocol.ClientIds;
import io.chatmsg.session.SessionRecord;
import io.chatmsg.session.SessionRecordRepository;
import io.chatmsg.session.SessionRecorder;
import io.chatmsg.store.Vendor;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The searches behind the API and the pages; read-only, off the event loops. */
@Service
@Transactional(readOnly = true)
class AdminQueries {

    static final int MAX_PAGE_SIZE = 500;
    /**
     * A text search ({@code q}) counts its matches up to this many, no further: an exact
     * count of a common word reads every matching row (seconds on a million messages), while
     * the page itself stops at its rows. Past it the page says "1,000+" and
     * {@code totalCapped} is true (docs/performance.md). Without {@code q} the count is exact.
     */
    static final int MESSAGE_COUNT_LIMIT = 1000;
    /** What "recently closed" means on the sessions page. */
    static final Duration RECENTLY = Duration.ofMinutes(15);

    private final SessionRecordRepository sessionRecords;
    private final MessageRepository messages;
    private final UserRepository users;
    private final SessionRecorder sessions;
    private final ChatService chat;
    private final Clock clock;
    private final EntityManager entities;
    private final Vendor vendor;

    AdminQueries(
            SessionRecordRepository sessionRecords,
            MessageRepository messages,
            UserRepository users,
            SessionRecorder sessions,
            ChatService chat,
            Clock clock,
            EntityManager entities,
            Vendor vendor) {
        this.clock = clock;
        this.entities = entities;
        this.vendor = vendor;
        this.sessionRecords = sessionRecords;
        this.messages = messages;
        this.users = users;
        this.sessions = sessions;
        this.chat = chat;
    }

    record SessionFilter(String clientId, Instant since, Instant until, String endReason) {}

    record MessageFilter(String q, String from, String to, Instant since, Instant until) {}

    Views.PageOf<Views.Session> sessions(SessionFilter f, int page, int size) {
        Specification<SessionRecord> spec = (root, query, cb) -> cb.conjunction();
        if (notBlank(f.clientId())) {
            String id = f.clientId().trim().toLowerCase(Locale.ROOT);
            spec = spec.and((root, query, cb) -> cb.equal(cb.lower(root.get("clientId")), id));
        }
        if (f.since() != null) {
            spec = spec.and((root, query, cb) -> cb.greaterThanOrEqualTo(root.get("connectedAt"), f.since()));
        }
        if (f.until() != null) {
            spec = spec.and((root, query, cb) -> cb.lessThan(root.get("connectedAt"), f.until()));
        }
        if ("live".equals(f.endReason())) {
            spec = spec.and((root, query, cb) -> cb.isNull(root.get("disconnectedAt")));
        } else if ("recent".equals(f.endReason())) {
            Instant recent = clock.instant().minus(RECENTLY);
            spec = spec.and((root, query, cb) -> cb.greaterThanOrEqualTo(root.get("disconnectedAt"), recent));
        } else if (notBlank(f.endReason())) {
            String reason = f.endReason().trim() + "%";
            spec = spec.and((root, query, cb) -> cb.like(root.get("endReason"), reason));
        }
        Page<SessionRecord> p = sessionRecords.findAll(spec, pageRequest(page, size));
        return Views.PageOf.of(p, r -> Views.Session.of(r, sessions.anywhere(r.getId())));
    }

    /**
     * A page of the message log, newest first, with its matches counted (a text search's up
     * to {@link #MESSAGE_COUNT_LIMIT}). Both queries are planned for their own pattern on
     * PostgreSQL: a plan made once for any {@code q} would pick one way (the trigram index,
     * or the primary key walked backwards) for common and rare words alike.
     */
    Views.PageOf<Views.LoggedMessage> messages(MessageFilter f, int page, int size) {
        PageRequest request = pageRequest(page, size);
        Specification<Message> spec = messageSpec(f);
        planEachSearch();
        List<Message> rows = select(spec)
                .setFirstResult((int) Math.min(Integer.MAX_VALUE, request.getOffset()))
                .setMaxResults(size)
                .getResultList();
        boolean search = notBlank(f.q());
        long total = search ? countUpToLimit(spec) : count(spec);
        boolean capped = search && total > MESSAGE_COUNT_LIMIT;
        if (capped) {
            total = MESSAGE_COUNT_LIMIT;
        }
        return new Views.PageOf<>(
                rows.stream().map(Views.LoggedMessage::of).toList(),
                total,
                page,
                size,
                (int) ((total + size - 1) / size),
                capped);
    }

    /** Matches of a text search, counted up to one past {@link #MESSAGE_COUNT_LIMIT}. */
    private long countUpToLimit(Specification<Message> spec) {
        CriteriaBuilder cb = entities.getCriteriaBuilder();
        CriteriaQuery<Long> ids = cb.createQuery(Long.class);
        Root<Message> root = ids.from(Message.class);
        ids.select(root.get("id")).where(spec.toPredicate(root, ids, cb));
        return entities.createQuery(ids)
                .setMaxResults(MESSAGE_COUNT_LIMIT + 1)
                .getResultList()
                .size();
    }

    /** The exact count: without a text search the filters are cheap to count (or as dear as the page). */
    private long count(Specification<Message> spec) {
        CriteriaBuilder cb = entities.getCriteriaBuilder();
        CriteriaQuery<Long> n = cb.createQuery(Long.class);
        Root<Message> root = n.from(Message.class);
        n.select(cb.count(root)).where(spec.toPredicate(root, n, cb));
        return entities.createQuery(n).getSingleResult();
    }

    /**
     * The next {@code size} messages of a search older than {@code beforeId} (all when
     * null), newest first, uncounted: the CSV export walks the log this way, one short
     * query per chunk from where the last one stopped (an offset would reread every
     * earlier row, and a count each time).
     */
    List<Views.LoggedMessage> messagesBefore(MessageFilter f, Long beforeId, int size) {
        Specification<Message> spec = messageSpec(f);
        if (beforeId != null) {
            spec = spec.and((root, query, cb) -> cb.lessThan(root.get("id"), beforeId));
        }
        planEachSearch();
        return select(spec).setMaxResults(size).getResultList().stream()
                .map(Views.LoggedMessage::of)
                .toList();
    }

    private TypedQuery<Message> select(Specification<Message> spec) {
        CriteriaBuilder cb = entities.getCriteriaBuilder();
        CriteriaQuery<Message> query = cb.createQuery(Message.class);
        Root<Message> root = query.from(Message.class);
        query.where(spec.toPredicate(root, query, cb)).orderBy(cb.desc(root.get("id")));
        return entities.createQuery(query);
    }

    /** PostgreSQL: plan this transaction's statements for their parameters (never a generic plan). */
    private void planEachSearch() {
        if (vendor == Vendor.POSTGRESQL) {
            entities.createNativeQuery("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)")
                    .getSingleResult();
        }
    }

    private static Specification<Message> messageSpec(MessageFilter f) {
        Specification<Message> spec = (root, query, cb) -> cb.conjunction();
        if (notBlank(f.q())) {
            String like = "%" + escapeLike(f.q().toLowerCase(Locale.ROOT)) + "%";
            spec = spec.and((root, query, cb) -> cb.like(cb.lower(root.get("text")), like, '\\'));
        }
        if (notBlank(f.from())) {
            String key = ClientIds.fold(f.from().trim());
            spec = spec.and((root, query, cb) -> cb.equal(root.get("senderKey"), key));
        }
        if (notBlank(f.to())) {
            String to = f.to().trim();
            String key = ClientIds.ALL.equalsIgnoreCase(to) ? MessageLog.BROADCAST_KEY : ClientIds.fold(to);
            spec = spec.and((root, query, cb) -> cb.equal(root.get("recipientKey"), key));
        }
        if (f.since() != null) {
            spec = spec.and((root, query, cb) -> cb.greaterThanOrEqualTo(root.get("sentAt"), f.since()));
        }
        if (f.until() != null) {
            spec = spec.and((root, query, cb) -> cb.lessThan(root.get("sentAt"), f.until()));
        }
        return spec;
    }

    /** Known ids in id order, those starting with {@code idPrefix} (any case) when it is given. */
    Views.PageOf<Views.KnownUser> users(String idPrefix, int page, int size) {
        PageRequest request = pageRequest(page, size, Sort.by("idKey"));
        Page<User> p = notBlank(idPrefix)
                ? users.findByIdKeyStartingWith(ClientIds.fold(idPrefix.trim()), request)
                : users.findAll(request);
        return Views.PageOf.of(p, u -> Views.KnownUser.of(u, chat.isOnline(u.getIdKey())));
    }

    List<Views.Client> liveClients() {
        List<Views.Client> out = new ArrayList<>();
        sessions.everywhere().forEach(s -> out.add(Views.Client.of(s)));
        out.sort(Comparator.comparingLong(Views.Client::sessionId));
        return out;
    }

    private static PageRequest pageRequest(int page, int size) {
        return pageRequest(page, size, Sort.by(Sort.Direction.DESC, "id"));
    }

    private static PageRequest pageRequest(int page, int size, Sort sort) {
        if (page < 0) {
            throw new IllegalArgumentException("page must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("size must be from 1 to " + MAX_PAGE_SIZE);
        }
        return PageRequest.of(page, size, sort);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
