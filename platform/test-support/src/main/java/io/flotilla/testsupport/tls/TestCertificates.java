package io.flotilla.testsupport.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made for one test, and the PKCS#12 key stores it signs: a CA key pair, a trust store
 * holding its certificate, and key stores each holding a private key with its chain (leaf, CA). Everything is made
 * by the JDK's own {@code keytool}, run as a process, so the test needs no library and exercises the same files
 * an operator would make. EC P-256 keys, valid 30 days; every issued certificate is good for both TLS servers and
 * TLS clients.
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.authority(tempDir.resolve("ca"), "Flotilla Test CA");
 * Path node = ca.issue("node", "127.0.0.1", "localhost");   // subject alternative names
 * Map<String, String> bundle = ca.jksBundle("raft", node);  // spring.ssl.bundle.jks.raft.* properties
 * SSLContext client = ca.sslContext(ca.issue("client"));
 * }</pre>
 */
public final class TestCertificates {

    /** Password of every store this fixture writes (key entries use the same, as PKCS#12 expects). */
    public static final String PASSWORD = "flotilla-test";

    private static final String CA_ALIAS = "ca";
    private static final String STORE_TYPE = "PKCS12";
    private static final int VALIDITY_DAYS = 30;
    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

    private final Path directory;
    private final Path authorityStore;
    private final Path authorityCertificate;
    private final Path trustStore;

    private TestCertificates(Path directory) {
        this.directory = directory;
        this.authorityStore = directory.resolve("ca.p12");
        this.authorityCertificate = directory.resolve("ca.pem");
        this.trustStore = directory.resolve("truststore.p12");
    }

    /**
     * Creates a new CA named {@code commonName} in {@code directory} (created if missing): its key store, its
     * certificate as PEM and a trust store holding that certificate.
     */
    public static TestCertificates authority(Path directory, String commonName) {
        TestCertificates certificates = new TestCertificates(directory);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        certificates.keytool("-genkeypair", "-alias", CA_ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + commonName, "-ext", "bc:c", "-validity", String.valueOf(VALIDITY_DAYS),
                "-keystore", certificates.authorityStore.toString(), "-storetype", STORE_TYPE,
                "-storepass", PASSWORD);
        certificates.keytool("-exportcert", "-rfc", "-alias", CA_ALIAS, "-keystore",
                certificates.authorityStore.toString(), "-storepass", PASSWORD, "-file",
                certificates.authorityCertificate.toString());
        certificates.keytool("-importcert", "-noprompt", "-alias", CA_ALIAS, "-file",
                certificates.authorityCertificate.toString(), "-keystore", certificates.trustStore.toString(),
                "-storetype", STORE_TYPE, "-storepass", PASSWORD);
        return certificates;
    }

    /**
     * A new key pair named {@code name} with a certificate this CA signed, for TLS servers and clients, naming
     * {@code hosts} as subject alternative names (IP addresses or DNS names; none for a client-only certificate).
     *
     * @return a PKCS#12 key store holding the key under alias {@code name} with its chain (leaf, CA)
     */
    public Path issue(String name, String... hosts) {
        Path keyStore = directory.resolve(name + ".p12");
        Path request = directory.resolve(name + ".csr");
        Path signed = directory.resolve(name + ".pem");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", String.valueOf(VALIDITY_DAYS), "-keystore", keyStore.toString(), "-storetype",
                STORE_TYPE, "-storepass", PASSWORD);
        keytool("-certreq", "-alias", name, "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file",
                request.toString());
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", CA_ALIAS, "-keystore",
                authorityStore.toString(), "-storepass", PASSWORD, "-infile", request.toString(), "-outfile",
                signed.toString(), "-validity", String.valueOf(VALIDITY_DAYS), "-ext", "ku:c=digitalSignature",
                "-ext", "eku=serverAuth,clientAuth"));
        if (hosts.length > 0) {
            sign.addAll(List.of("-ext", "san=" + subjectAlternativeNames(hosts)));
        }
        keytool(sign.toArray(String[]::new));
        try {
            // The reply carries the whole chain, so the key entry holds leaf and CA without a trusted-cert entry.
            Files.writeString(signed, Files.readString(signed) + Files.readString(authorityCertificate));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keytool("-importcert", "-noprompt", "-alias", name, "-file", signed.toString(), "-keystore",
                keyStore.toString(), "-storepass", PASSWORD);
        return keyStore;
    }

    /** The PKCS#12 trust store holding only this CA's certificate. */
    public Path trustStore() {
        return trustStore;
    }

    /** This CA's certificate, PEM-encoded. */
    public Path certificate() {
        return authorityCertificate;
    }

    /**
     * Spring Boot properties of a JKS-style SSL bundle named {@code bundle}: {@code keyStore}'s key (omitted when
     * null, for a client that only checks the server) and this CA as the trust store.
     */
    public Map<String, String> jksBundle(String bundle, Path keyStore) {
        String prefix = "spring.ssl.bundle.jks." + bundle + ".";
        Map<String, String> properties = new LinkedHashMap<>();
        if (keyStore != null) {
            properties.put(prefix + "keystore.location", keyStore.toUri().toString());
            properties.put(prefix + "keystore.password", PASSWORD);
            properties.put(prefix + "keystore.type", STORE_TYPE);
        }
        properties.put(prefix + "truststore.location", trustStore.toUri().toString());
        properties.put(prefix + "truststore.password", PASSWORD);
        properties.put(prefix + "truststore.type", STORE_TYPE);
        return properties;
    }

    /** Key managers presenting {@code keyStore}'s key. */
    public static KeyManagerFactory keyManagers(Path keyStore) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(load(keyStore), PASSWORD.toCharArray());
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key in " + keyStore, e);
        }
    }

    /** Trust managers accepting certificates this CA signed, and nothing else. */
    public TrustManagerFactory trustManagers() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            factory.init(load(trustStore));
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the trust store " + trustStore, e);
        }
    }

    /** A TLS context that trusts this CA and, when {@code keyStore} is not null, presents its key. */
    public SSLContext sslContext(Path keyStore) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyStore == null ? null : keyManagers(keyStore).getKeyManagers(),
                    trustManagers().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    private static KeyStore load(Path path) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(STORE_TYPE);
            store.load(in, PASSWORD.toCharArray());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String subjectAlternativeNames(String... hosts) {
        List<String> names = new ArrayList<>();
        for (String host : hosts) {
            boolean address = host.matches("[0-9.]+") || host.contains(":");
            names.add((address ? "ip:" : "dns:") + host);
        }
        return String.join(",", names);
    }

    /** Runs the keytool of the JDK running this test; a failure names the command and what keytool printed. */
    private void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // keytool is a short-lived JVM: skip the optimising compiler, it only costs start-up on a busy machine.
        command.add("-J-XX:TieredStopAtLevel=1");
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS
                        + " s: " + String.join(" ", arguments));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed (exit " + process.exitValue()
                        + "): " + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
