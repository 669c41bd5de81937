package io.flotilla.raft.server.config;

import io.flotilla.raft.server.RaftServerConfigurationException;
import io.flotilla.raft.server.RaftServerProperties;
import io.flotilla.raft.server.RaftService;
import io.flotilla.raft.transport.netty.NettyTransportTls;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import javax.net.ssl.SSLContext;

/**
 * What the SSL bundle named by {@code <prefix>.ssl-bundle} gives a node: mutual TLS on its Raft port (this node's
 * key, the bundle's trust store for its peers) and the {@link SSLContext} of the kit's own HTTP calls to its peers
 * (leader forwarding, publishing its address), which trust the same CAs and present the same key. Both are null
 * when no bundle is named: plain TCP, and the JDK's default trust for {@code https://} peers.
 *
 * @param transportTls  the Raft transport's TLS, or null
 * @param clientContext the kit's HTTP clients' TLS context, or null for the JDK default
 */
record RaftServerSsl(NettyTransportTls transportTls, SSLContext clientContext) {

    static final RaftServerSsl NONE = new RaftServerSsl(null, null);

    /**
     * Resolves the bundle once, at start-up: a name that is not defined, or a bundle without the key or the trust
     * store mutual TLS needs, stops start-up naming the property.
     *
     * @param bundles Spring Boot's SSL bundles; null when the application has none
     */
    static RaftServerSsl resolve(RaftServerProperties properties, RaftService service, SslBundles bundles) {
        String name = properties.getSslBundle();
        if (name == null || name.isBlank()) {
            return NONE;
        }
        String property = service.propertyPrefix() + ".ssl-bundle";
        SslBundle bundle = bundle(name.trim(), property, bundles);
        if (bundle.getStores().getKeyStore() == null) {
            throw new RaftServerConfigurationException(property, "SSL bundle '" + name + "' holds no key store, and "
                    + "the Raft port's mutual TLS needs this node's key and certificate",
                    "Give the bundle a key store (spring.ssl.bundle.jks." + name + ".keystore.* or "
                            + "spring.ssl.bundle.pem." + name + ".keystore.*).");
        }
        if (bundle.getStores().getTrustStore() == null) {
            throw new RaftServerConfigurationException(property, "SSL bundle '" + name + "' holds no trust store, "
                    + "and the Raft port's mutual TLS needs the certificate authority its peers' certificates chain to",
                    "Give the bundle a trust store (spring.ssl.bundle.jks." + name + ".truststore.* or "
                            + "spring.ssl.bundle.pem." + name + ".truststore.*).");
        }
        NettyTransportTls transportTls = NettyTransportTls.mutual(bundle.getManagers().getKeyManagerFactory(),
                bundle.getManagers().getTrustManagerFactory(), bundle.getOptions().getEnabledProtocols(),
                bundle.getOptions().getCiphers());
        return new RaftServerSsl(transportTls, bundle.createSslContext());
    }

    private static SslBundle bundle(String name, String property, SslBundles bundles) {
        if (bundles == null) {
            throw missing(name, property, "this application defines no SSL bundles");
        }
        try {
            return bundles.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw missing(name, property, bundles.getBundleNames().isEmpty() ? "no SSL bundle is defined"
                    : "the defined bundles are " + bundles.getBundleNames());
        }
    }

    private static RaftServerConfigurationException missing(String name, String property, String known) {
        return new RaftServerConfigurationException(property, "no SSL bundle named '" + name + "' exists ("
                + known + ")", "Define the bundle under spring.ssl.bundle.jks." + name + ".* or spring.ssl.bundle.pem."
                + name + ".* (this node's key store and the trust store of the CA its peers' certificates chain to), "
                + "or set " + property + " to a defined bundle.");
    }
}
