package io.flotilla.tx.config;

import org.springframework.cloud.client.serviceregistry.Registration;

import java.net.URI;
import java.util.function.Supplier;

/**
 * The address this application registered under, from Spring Cloud's {@link Registration} (the registry starter's
 * {@code FlotillaRegistration}); null while there is none or its port is not known yet. Kept apart so that the
 * starter needs spring-cloud-commons only when the application has it.
 */
final class RegisteredAddress implements Supplier<URI> {

    private final Supplier<Registration> registration;

    RegisteredAddress(Supplier<Registration> registration) {
        this.registration = registration;
    }

    @Override
    public URI get() {
        Registration current = registration.get();
        if (current == null || current.getHost() == null || current.getPort() <= 0) {
            return null;
        }
        return URI.create((current.isSecure() ? "https" : "http") + "://" + hostPart(current.getHost()) + ":"
                + current.getPort());
    }

    private static String hostPart(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
