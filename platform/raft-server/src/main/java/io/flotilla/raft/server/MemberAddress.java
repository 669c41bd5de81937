package io.flotilla.raft.server;

import io.flotilla.raft.ClusterConfig;

import java.util.Objects;

/**
 * Where a member listens: one host, its Raft port and its HTTP port. Written {@code host:raftPort/httpPort}
 * (for example {@code 10.0.0.1:9500/8500}); that string is the member address Raft stores in its
 * configuration, so every node learns each member's HTTP address from the log and can forward a write to the
 * leader. When the HTTP port is left out ({@code host:raftPort}) it is {@code raftPort - 1000}, which matches
 * the platform's defaults (registry 9500/8500, coordinator 9090/8090).
 */
public record MemberAddress(String host, int raftPort, int httpPort) {

    /** Offset between the default Raft and HTTP ports (9500 - 8500). */
    public static final int DEFAULT_HTTP_PORT_OFFSET = 1000;

    public MemberAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.contains("/") || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("invalid host '" + host + "'");
        }
        checkPort("Raft", raftPort);
        checkPort("HTTP", httpPort);
    }

    /** Parses {@code host:raftPort} or {@code host:raftPort/httpPort}. */
    public static MemberAddress parse(String address) {
        Objects.requireNonNull(address, "address");
        String raftPart = address;
        Integer httpPort = null;
        int slash = address.indexOf('/');
        if (slash >= 0) {
            raftPart = address.substring(0, slash);
            httpPort = parsePort(address.substring(slash + 1), address);
        }
        int colon = raftPart.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("member address must be host:raftPort[/httpPort], got '" + address
                    + "'");
        }
        int raftPort = parsePort(raftPart.substring(colon + 1), address);
        int http = httpPort != null ? httpPort : raftPort - DEFAULT_HTTP_PORT_OFFSET;
        return new MemberAddress(raftPart.substring(0, colon), raftPort, http);
    }

    /**
     * Parses a peer {@code id@host:raftPort[/httpPort]} into a Raft member whose address is the canonical
     * {@link #toString()} form.
     */
    public static ClusterConfig.Member parsePeer(String peer) {
        Objects.requireNonNull(peer, "peer");
        int at = peer.indexOf('@');
        if (at <= 0 || at == peer.length() - 1) {
            throw new IllegalArgumentException("peer must be id@host:raftPort[/httpPort], got '" + peer + "'");
        }
        return new ClusterConfig.Member(peer.substring(0, at).trim(), parse(peer.substring(at + 1).trim()).toString());
    }

    /** {@code host:raftPort}: what the Raft transport connects to. */
    public String raftAddress() {
        return host + ":" + raftPort;
    }

    /** {@code http://host:httpPort}: where the member's HTTP API answers. */
    public String httpUrl() {
        return "http://" + host + ":" + httpPort;
    }

    @Override
    public String toString() {
        return host + ":" + raftPort + "/" + httpPort;
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
