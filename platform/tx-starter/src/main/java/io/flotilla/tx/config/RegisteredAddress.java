package io.flotilla.tx.config;

import org.springframework.cloud.client.serviceregistry.Registration;

import java.net.URI;
import java.util.function.Supplier;

/**
 * The address this application registered under, from Spring Cloud's {@link Registration} (the registry starter's
 * {@code FlotillaRegistration}); null while there is none or its port is not known yet. Kept apart so that the
 * starter needs spring-cloud-commons only when the application has it.
 *
 * <p>Every branch registration asks for it, so the lookup is cheap after the first answer: the {@code Registration}
 * bean, once there, is kept (an application has one for its whole life), and the URI is built again only when its
 * host, port or scheme changed (the port is known only once the web server has started).
 */
final class RegisteredAddress implements Supplier<URI> {

    private final Supplier<Registration> registration;
    private volatile Registration found;
    private volatile Address last;

    RegisteredAddress(Supplier<Registration> registration) {
        this.registration = registration;
    }

    @Override
    public URI get() {
        Registration current = registration();
        if (current == null || current.getHost() == null || current.getPort() <= 0) {
            return null;
        }
        Address known = last;
        if (known != null && known.describes(current)) {
            return known.uri();
        }
        Address address = Address.of(current);
        last = address;
        return address.uri();
    }

    private Registration registration() {
        Registration known = found;
        if (known == null) {
            known = registration.get();
            found = known;
        }
        return known;
    }

    /** A registration's host, port and scheme, and the URI they make. */
    private record Address(String host, int port, boolean secure, URI uri) {

        static Address of(Registration registration) {
            String host = registration.getHost();
            int port = registration.getPort();
            boolean secure = registration.isSecure();
            return new Address(host, port, secure,
                    URI.create((secure ? "https" : "http") + "://" + hostPart(host) + ":" + port));
        }

        boolean describes(Registration registration) {
            return port == registration.getPort() && secure == registration.isSecure()
                    && host.equals(registration.getHost());
        }

        private static String hostPart(String host) {
            return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        }
    }
}
