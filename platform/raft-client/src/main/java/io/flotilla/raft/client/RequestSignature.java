package io.flotilla.raft.client;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HMAC-SHA256 signatures of service-to-service calls (the coordinator's phase-two calls to participants): the
 * signer puts {@link FlotillaHeaders#SIGNATURE}, {@link FlotillaHeaders#SIGNATURE_TIMESTAMP} and
 * {@link FlotillaHeaders#SIGNATURE_NONCE} on the request; the receiver recomputes the signature with each key it
 * accepts. The signed text binds the method, the raw path, the timestamp, the nonce and the SHA-256 of the body,
 * so a captured call can neither be redirected to another branch or action nor carry another body.
 *
 * <p>Keys are shared secrets (at least {@value #MIN_KEY_LENGTH} characters, used as their UTF-8 bytes). A receiver
 * accepts a list so that keys can be rotated without a flag day: add the new key to every receiver, sign with it,
 * then drop the old one.
 */
public final class RequestSignature {

    /** Shortest accepted key: 32 characters, e.g. 64 hex digits from {@code openssl rand -hex 32} are 256 bits. */
    public static final int MIN_KEY_LENGTH = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Past this many distinct keys (a deployment has one or two), a key's {@link Mac} is made for each call. */
    private static final int MAX_CACHED_KEYS = 16;
    /**
     * An initialised {@link Mac} per key, cloned for each call: looking the algorithm up in the security providers
     * and initialising it with the key on every call was 5 % of a participant's CPU under load (docs/benchmarks.md).
     */
    private static final Map<String, Mac> MAC_BY_KEY = new ConcurrentHashMap<>();
    /**
     * A SHA-256 digest cloned for each body, for the same reason: {@code MessageDigest.getInstance} on every call
     * was about half of signing's CPU in the TCC benchmark's coordinator and participants (JFR).
     */
    private static final MessageDigest SHA_256 = sha256();

    private RequestSignature() {
    }

    /** The base64 signature of one request. */
    public static String sign(String key, String method, String rawPath, long timestampMillis, String nonce, byte[] body) {
        return sign(key, method, rawPath, timestampMillis, nonce, bodyDigest(body));
    }

    private static String sign(String key, String method, String rawPath, long timestampMillis, String nonce,
            String bodyDigest) {
        try {
            Mac mac = macFor(key);
            String signed = method + "\n" + rawPath + "\n" + timestampMillis + "\n" + nonce + "\n" + bodyDigest;
            return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    /** The body's SHA-256 in hex, as signed. */
    private static String bodyDigest(byte[] body) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException notCloneable) {
            digest = sha256();
        }
        return HexFormat.of().formatHex(digest.digest(body));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static Mac macFor(String key) throws GeneralSecurityException {
        Mac prototype = MAC_BY_KEY.get(key);
        if (prototype == null) {
            prototype = Mac.getInstance(ALGORITHM);
            prototype.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            if (MAC_BY_KEY.size() < MAX_CACHED_KEYS) {
                MAC_BY_KEY.putIfAbsent(key, prototype);
            }
            else {
                return prototype;
            }
        }
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException notCloneable) {
            // A provider whose HMAC cannot be cloned: a fresh one each time, as before.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac;
        }
    }

    /** Whether the signature was made with one of the keys; compared in constant time. */
    public static boolean matches(List<String> keys, String signature, String method, String rawPath,
            long timestampMillis, String nonce, byte[] body) {
        byte[] given = signature.getBytes(StandardCharsets.US_ASCII);
        String bodyDigest = bodyDigest(body);
        boolean matched = false;
        for (String key : keys) {
            byte[] expected = sign(key, method, rawPath, timestampMillis, nonce, bodyDigest)
                    .getBytes(StandardCharsets.US_ASCII);
            matched |= MessageDigest.isEqual(expected, given);
        }
        return matched;
    }

    /** A fresh random nonce: 128 bits, URL-safe base64 without padding (22 characters). */
    public static String newNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Checks configured keys: each at least {@value #MIN_KEY_LENGTH} characters.
     *
     * @param property the property the keys come from, named in the message
     * @throws IllegalArgumentException naming the property and what to change
     */
    public static void checkKeys(List<String> keys, String property) {
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (key == null || key.strip().length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException(property + "[" + i + "] is shorter than " + MIN_KEY_LENGTH
                        + " characters; use a random secret, e.g. the output of `openssl rand -hex 32`");
            }
        }
    }
}
