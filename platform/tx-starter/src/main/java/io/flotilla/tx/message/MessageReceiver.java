package io.flotilla.tx.message;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Receives the transactional messages sent to {@code <base>/flotilla/tx/messages/<name>/receive}
 * ({@link MessageTargets#receiver}). The method takes the payload (bound from its JSON to the first parameter's
 * type; a {@code String} parameter gets the JSON text) and optionally a {@link ReceivedMessage} with the message's
 * id. It runs in a local transaction together with the insert of the message id into the received-message table:
 * a repeated delivery finds the id and runs nothing, a method that throws rolls both back and the coordinator
 * delivers again later.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MessageReceiver {

    /** The receiver's name, the last-but-one path segment of its URL. */
    String name();
}
