package io.flotilla.raft.server;

import io.flotilla.raft.ClusterConfig;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a member's Raft transport listens: {@code host:raftPort}, the address stored in the Raft configuration.
 * That is all a peer list needs; each member publishes its own HTTP address through the log once it runs
 * ({@link MemberDirectory}), as etcd members publish their client URLs, so nothing is guessed from the Raft port.
 *
 * <p>An older form {@code host:raftPort/httpPort} is still read (configurations replicated by earlier releases
 * hold it): the HTTP port it names is used until the member publishes its address.
 */
public record MemberAddress(String host, int raftPort, int httpPortHint) {

    /** {@link #httpPortHint()} when the address names no HTTP port. */
    public static final int NO_HTTP_PORT = 0;

    public MemberAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.contains("/") || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("invalid host '" + host + "'");
        }
        checkPort("Raft", raftPort);
        if (httpPortHint != NO_HTTP_PORT) {
            checkPort("HTTP", httpPortHint);
        }
    }

    /** Parses {@code host:raftPort} (or the older {@code host:raftPort/httpPort}). */
    public static MemberAddress parse(String address) {
        Objects.requireNonNull(address, "address");
        String raftPart = address.trim();
        int httpPort = NO_HTTP_PORT;
        int slash = raftPart.indexOf('/');
        if (slash >= 0) {
            httpPort = parsePort(raftPart.substring(slash + 1), address);
            raftPart = raftPart.substring(0, slash);
        }
        int colon = raftPart.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("member address must be host:raftPort, got '" + address + "'");
        }
        int raftPort = parsePort(raftPart.substring(colon + 1), address);
        return new MemberAddress(raftPart.substring(0, colon), raftPort, httpPort);
    }

    /** Parses a peer {@code id@host:raftPort} into a Raft member whose address is the canonical {@link #toString()}. */
    public static ClusterConfig.Member parsePeer(String peer) {
        Objects.requireNonNull(peer, "peer");
        int at = peer.indexOf('@');
        if (at <= 0 || at == peer.length() - 1) {
            throw new IllegalArgumentException("peer must be id@host:raftPort, got '" + peer + "'");
        }
        return new ClusterConfig.Member(peer.substring(0, at).trim(), parse(peer.substring(at + 1)).toString());
    }

    /** {@code host:raftPort}: what the Raft transport connects to. */
    public String raftAddress() {
        return host + ":" + raftPort;
    }

    /** {@code http://host:httpPort} when this address names an HTTP port (the older form), else empty. */
    public Optional<String> httpUrlHint() {
        return httpPortHint == NO_HTTP_PORT ? Optional.empty() : Optional.of("http://" + host + ":" + httpPortHint);
    }

    @Override
    public String toString() {
        return httpPortHint == NO_HTTP_PORT ? raftAddress() : raftAddress() + "/" + httpPortHint;
    }

    private static int parsePort(String text, String address) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port '" + text + "' in '" + address + "'");
        }
    }

    private static void checkPort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " port must be 1..65535, got " + port);
        }
    }
}
