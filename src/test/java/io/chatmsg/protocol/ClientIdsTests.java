package io.chatmsg.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ClientIdsTests {

    @ParameterizedTest
    @CsvSource({
        "alice, true",
        "A, true",
        "a.b-c_d9, true",
        "abcdefghijklmnopqrstuvwxyz012345, true",
        "abcdefghijklmnopqrstuvwxyz0123456, false",
        "al ice, false",
        "al:ice, false",
        "'', false",
        "ALL, false",
        "all, false",
        "Server, false",
        "allx, true",
        "., false",
        ".., false",
        "..., false",
        "a., true",
        ".a, true",
        "..-, true"
    })
    void validatesClientIds(String id, boolean valid) {
        assertThat(ClientIds.isValidClientId(id)).isEqualTo(valid);
    }

    @ParameterizedTest
    @CsvSource({"Alice, alice", "BOB.X, bob.x", "i-J_k, i-j_k"})
    void foldsToLowerCase(String id, String key) {
        assertThat(ClientIds.fold(id)).isEqualTo(key);
    }
}
