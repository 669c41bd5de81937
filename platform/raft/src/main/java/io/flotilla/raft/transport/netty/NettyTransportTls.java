package io.flotilla.raft.transport.netty;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Mutual TLS on the Raft port: the context that accepted connections handshake with (it must require a client
 * certificate, so that only members holding a certificate the trust store accepts can speak Raft to this node)
 * and the one this node's outgoing connections use (it presents this node's certificate and checks that the peer's
 * names the host it dialled). {@link #mutual} builds both from one key store and one trust store.
 *
 * @param server context of connections peers open to this node; a server context
 * @param client context of connections this node opens to its peers; a client context
 */
public record NettyTransportTls(SslContext server, SslContext client) {

    public NettyTransportTls {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(client, "client");
        if (!server.isServer()) {
            throw new IllegalArgumentException("server must be a server SslContext");
        }
        if (!client.isClient()) {
            throw new IllegalArgumentException("client must be a client SslContext");
        }
    }

    /**
     * Both sides from this node's key material and the certificates it trusts: peers must present a certificate
     * that {@code trust} accepts (client authentication required), and a peer's certificate must name the host it
     * is dialled at (a DNS or IP subject alternative name), as HTTPS checks.
     *
     * @param keys      this node's private key and certificate chain
     * @param trust     the certificate authorities a peer's certificate must chain to
     * @param protocols TLS versions to enable (e.g. {@code TLSv1.3}); null or empty for the JDK's defaults
     * @param ciphers   cipher suites to enable; null or empty for the JDK's defaults
     */
    public static NettyTransportTls mutual(KeyManagerFactory keys, TrustManagerFactory trust, String[] protocols,
                                           String[] ciphers) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(trust, "trust");
        try {
            SslContext server = restrict(SslContextBuilder.forServer(keys), protocols, ciphers)
                    .trustManager(trust)
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
            SslContext client = restrict(SslContextBuilder.forClient(), protocols, ciphers)
                    .keyManager(keys)
                    .trustManager(trust)
                    .endpointIdentificationAlgorithm("HTTPS")
                    .build();
            return new NettyTransportTls(server, client);
        } catch (SSLException e) {
            throw new UncheckedIOException("cannot build the Raft transport's TLS contexts: " + e.getMessage(), e);
        }
    }

    /** Both sides with the JDK's default protocols and cipher suites. */
    public static NettyTransportTls mutual(KeyManagerFactory keys, TrustManagerFactory trust) {
        return mutual(keys, trust, null, null);
    }

    private static SslContextBuilder restrict(SslContextBuilder builder, String[] protocols, String[] ciphers) {
        if (protocols != null && protocols.length > 0) {
            builder.protocols(protocols);
        }
        if (ciphers != null && ciphers.length > 0) {
            builder.ciphers(Arrays.asList(ciphers));
        }
        return builder;
    }
}
