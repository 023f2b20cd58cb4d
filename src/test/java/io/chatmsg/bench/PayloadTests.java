package io.chatmsg.bench;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static io.chatmsg.bench.RecordingEvents.connection;
import static io.chatmsg.bench.RecordingEvents.written;
import static org.assertj.core.api.Assertions.assertThat;

/** The message text the generator sends and recognises on arrival. */
class PayloadTests {

    @Test
    void isPaddedToTheConfiguredSizeAndReadsBack() {
        Connection c = connection(42, "b1x42");
        Payload payload = new Payload(40);

        payload.write(c, 7, 123456789L);

        String text = written(c);
        assertThat(text).hasSize(40).startsWith("7.123456789.42.x").endsWith("xxx");
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(payload.read(b, 0, b.length)).isTrue();
        assertThat(payload.seq).isEqualTo(7);
        assertThat(payload.sentAt).isEqualTo(123456789L);
        assertThat(payload.sender).isEqualTo(42);
    }

    @Test
    void keepsAtLeastOnePaddingByteWhenTheNumbersAreLong() {
        Connection c = connection(199_999, "b1x199999");

        new Payload(40).write(c, Long.MAX_VALUE, Long.MAX_VALUE);

        assertThat(written(c)).isEqualTo(Long.MAX_VALUE + "." + Long.MAX_VALUE + ".199999.x");
    }

    @Test
    void otherTextIsNotAPayloadAndBadNumbersReadAsMinusOne() {
        Payload payload = new Payload(40);
        byte[] notice = "hello there. all.".getBytes(StandardCharsets.US_ASCII);
        byte[] garbled = "1a.2.3.x".getBytes(StandardCharsets.US_ASCII);

        assertThat(payload.read(notice, 0, notice.length)).isFalse();
        assertThat(payload.read(garbled, 0, garbled.length)).isTrue();
        assertThat(payload.seq).isEqualTo(-1);
    }
}
