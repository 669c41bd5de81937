package io.flotilla.raft.client;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.MessageDigest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
    void everyKeySignsAsAFreshHmacWouldCallAfterCallAndPastTheKeysItKeepsReady() throws Exception {
        byte[] body = "{\"xid\":\"x-1\",\"branchId\":3}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 20; i++) {
            String key = "phase-two-key-number-" + i + "-0123456789abcdef";
            String expected = reference(key, "POST", "/flotilla/tx/tcc/ledger/confirm", 1_000L + i, "nonce-" + i, body);
            for (int call = 0; call < 3; call++) {
                assertThat(RequestSignature.sign(key, "POST", "/flotilla/tx/tcc/ledger/confirm", 1_000L + i, "nonce-" + i,
                        body)).isEqualTo(expected);
            }
        }
    }

    @Test
    void bodiesSignedAtOnceOnManyThreadsEachGetTheirOwnDigest() throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] body = ("{\"xid\":\"x-" + i + "\",\"branchId\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                long timestamp = i;
                checks.add(threads.submit(() -> RequestSignature.sign(KEY, "POST", "/p", timestamp, "n", body)
                        .equals(reference(KEY, "POST", "/p", timestamp, "n", body))
                        && RequestSignature.matches(List.of(NEXT_KEY, KEY),
                                reference(KEY, "POST", "/p", timestamp, "n", body), "POST", "/p", timestamp, "n", body)));
            }
            for (Future<Boolean> check : checks) {
                assertThat(check.get()).isTrue();
            }
        }
    }

    private static String reference(String key, String method, String path, long timestamp, String nonce, byte[] body)
            throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        String signed = method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + digest;
        return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
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
