package io.flotilla.raft.client;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RequestSignatureTests {

    private static final String KEY = "a-phase-two-key-of-at-least-32-characters";
    private static final String NEXT_KEY = "the-next-phase-two-key-of-32-characters-or-more";
    private static final byte[] BODY = "{\"xid\":\"x-1\",\"branchId\":3}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSignatureMatchesAnyOfTheAcceptedKeysSoKeysCanRotate() {
        String signature = RequestSignature.sign(NEXT_KEY, "POST", "/flotilla/tx/tcc/a/confirm", 1000, "nonce-0123456789ab", BODY);

        assertThat(RequestSignature.matches(List.of(KEY, NEXT_KEY), signature, "POST", "/flotilla/tx/tcc/a/confirm",
                1000, "nonce-0123456789ab", BODY)).isTrue();
        assertThat(RequestSignature.matches(List.of(KEY), signature, "POST", "/flotilla/tx/tcc/a/confirm",
                1000, "nonce-0123456789ab", BODY)).isFalse();
    }

    @Test
    void changingAnySignedPartBreaksTheSignature() {
        String signature = RequestSignature.sign(KEY, "POST", "/flotilla/tx/tcc/a/confirm", 1000, "nonce-0123456789ab", BODY);
        List<String> keys = List.of(KEY);

        assertThat(RequestSignature.matches(keys, signature, "PUT", "/flotilla/tx/tcc/a/confirm", 1000, "nonce-0123456789ab", BODY)).isFalse();
        assertThat(RequestSignature.matches(keys, signature, "POST", "/flotilla/tx/tcc/a/cancel", 1000, "nonce-0123456789ab", BODY)).isFalse();
        assertThat(RequestSignature.matches(keys, signature, "POST", "/flotilla/tx/tcc/a/confirm", 1001, "nonce-0123456789ab", BODY)).isFalse();
        assertThat(RequestSignature.matches(keys, signature, "POST", "/flotilla/tx/tcc/a/confirm", 1000, "nonce-0123456789ac", BODY)).isFalse();
        assertThat(RequestSignature.matches(keys, signature, "POST", "/flotilla/tx/tcc/a/confirm", 1000, "nonce-0123456789ab",
                "{\"xid\":\"x-1\",\"branchId\":4}".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void shortKeysAreRefusedNamingTheProperty() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> RequestSignature.checkKeys(List.of(KEY, "short"), "flotilla.tx.participant.signing-keys"))
            .withMessageContaining("flotilla.tx.participant.signing-keys[1]");
        RequestSignature.checkKeys(List.of(KEY), "any");
    }

    @Test
    void noncesAreFreshAndUrlSafe() {
        assertThat(RequestSignature.newNonce()).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(RequestSignature.newNonce());
    }
}
