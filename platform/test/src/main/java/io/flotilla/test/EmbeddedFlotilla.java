package io.flotilla.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the application's Spring test context against a real Flotilla registry and coordinator started inside the
 * test JVM, as {@code @EmbeddedKafka} does for Kafka: no Docker, no servers to install.
 *
 * <pre>{@code
 * @SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * @EmbeddedFlotilla
 * class PaymentsTests { ... }
 * }</pre>
 *
 * The registry-service and tx-coordinator start once per Spring test context (cached with it, stopped when it
 * closes), each on free ports of 127.0.0.1 with its own data directory, bearer token and phase-two signing key,
 * and these properties are set for the context, above its {@code application.properties}:
 * {@code flotilla.registry.addresses}, {@code flotilla.registry.token}, {@code flotilla.tx.coordinator.addresses},
 * {@code flotilla.tx.coordinator.token} and {@code flotilla.tx.participant.signing-keys}. The servers are a bean,
 * {@link EmbeddedFlotillaServers}: inject it to read their addresses or to start another application with
 * {@link EmbeddedFlotillaServers#properties()}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface EmbeddedFlotilla {

    /** Whether to start a registry (discovery, registration, registry locks, leased worker ids). */
    boolean registry() default true;

    /** Whether to start a transaction coordinator (TCC and XA). */
    boolean coordinator() default true;
}
