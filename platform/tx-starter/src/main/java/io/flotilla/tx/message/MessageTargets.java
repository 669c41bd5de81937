package io.flotilla.tx.message;

/** URLs of the tx starter's message receivers, for {@link TransactionalMessages#send}. */
public final class MessageTargets {

    /** Where the starter serves receivers unless {@code flotilla.tx.participant.path-prefix} moves it. */
    public static final String DEFAULT_PREFIX = "/flotilla/tx";

    private MessageTargets() {
    }

    /** {@code <baseUrl>/flotilla/tx/messages/<receiver>/receive}: the {@code @MessageReceiver} named so. */
    public static String receiver(String baseUrl, String receiver) {
        return receiver(baseUrl, DEFAULT_PREFIX, receiver);
    }

    public static String receiver(String baseUrl, String pathPrefix, String receiver) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        String prefix = pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
        return base + (prefix.startsWith("/") ? prefix : "/" + prefix) + "/messages/" + receiver + "/receive";
    }
}
