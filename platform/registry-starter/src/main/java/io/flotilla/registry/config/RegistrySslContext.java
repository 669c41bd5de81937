package io.flotilla.registry.config;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;

import javax.net.ssl.SSLContext;

/**
 * The TLS context of the registry client from the SSL bundle {@code flotilla.registry.ssl-bundle} names. A name that
 * is not defined stops start-up through Spring Boot's analysis of an invalid property value, naming the property,
 * where it was set and what to define.
 */
final class RegistrySslContext {

    static final String PROPERTY = "flotilla.registry.ssl-bundle";

    private RegistrySslContext() {
    }

    /** @return the bundle's context, or null when no bundle is named (the JDK's default trust) */
    static SSLContext of(String bundleName, SslBundles bundles) {
        if (bundleName == null || bundleName.isBlank()) {
            return null;
        }
        String name = bundleName.trim();
        try {
            if (bundles == null) {
                throw new NoSuchSslBundleException(name, "this application defines no SSL bundles");
            }
            return bundles.getBundle(name).createSslContext();
        } catch (NoSuchSslBundleException e) {
            throw new InvalidConfigurationPropertyValueException(PROPERTY, name, "no SSL bundle named '" + name
                    + "' is defined; define it under spring.ssl.bundle.jks." + name + ".* or spring.ssl.bundle.pem."
                    + name + ".* with a trust store holding the CA of the registry's certificates (and a key store "
                    + "when the registry requires client certificates)");
        }
    }
}
