package io.chatmsg.session;

import java.time.Instant;
import java.util.List;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface TrafficMinuteRepository extends JpaRepository<TrafficMinute, TrafficMinute.Key> {

    /** One client's minutes since a time, oldest first. */
    @Query("select t from TrafficMinute t where t.key.clientKey = ?1 and t.key.minute >= ?2 order by t.key.minute")
    List<TrafficMinute> minutesOf(String clientKey, Instant since);

    /** A client's traffic summed over a window. */
    record Talker(String clientId, long bytesIn, long bytesOut, long messagesIn, long messagesOut) {
        public long bytes() {
            return bytesIn + bytesOut;
        }

        public long messages() {
            return messagesIn + messagesOut;
        }
    }

    @Query("select new io.chatmsg.session.TrafficMinuteRepository$Talker(max(t.clientId), sum(t.bytesIn),"
            + " sum(t.bytesOut), sum(t.messagesIn), sum(t.messagesOut)) from TrafficMinute t"
            + " where t.key.minute >= ?1 group by t.key.clientKey order by sum(t.bytesIn) + sum(t.bytesOut) desc")
    List<Talker> topByBytes(Instant since, Pageable page);

    @Query("select new io.chatmsg.session.TrafficMinuteRepository$Talker(max(t.clientId), sum(t.bytesIn),"
            + " sum(t.bytesOut), sum(t.messagesIn), sum(t.messagesOut)) from TrafficMinute t"
            + " where t.key.minute >= ?1 group by t.key.clientKey order by sum(t.messagesIn) + sum(t.messagesOut) desc")
    List<Talker> topByMessages(Instant since, Pageable page);
}
