package io.flotilla.raft.server;

import io.flotilla.raft.ClusterConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The founding configuration from a node's settings, checked so that a peer list that cannot work stops start-up
 * with a message naming the problem, instead of a cluster that looks healthy and fails writes.
 */
final class PeerList {

    private PeerList() {
    }

    /**
     * Every peer, plus this node when there are no peers (a single-node cluster). A node that is not listed must be
     * {@code joining} an existing cluster; it lists the running members, so that it can answer their leader, and
     * counts itself a member only once the leader has added it.
     *
     * @param propertyPrefix names the properties in error messages, e.g. {@code flotilla.registry.server}
     */
    static ClusterConfig initialConfig(RaftServerProperties properties, String propertyPrefix) {
        String peersProperty = propertyPrefix + ".peers";
        List<ClusterConfig.Member> members = new ArrayList<>();
        for (String peer : properties.getPeers()) {
            if (peer.isBlank()) {
                continue;
            }
            try {
                members.add(MemberAddress.parsePeer(peer));
            } catch (IllegalArgumentException e) {
                throw new RaftServerConfigurationException(peersProperty, "Peer '" + peer.trim() + "' cannot be read: "
                        + e.getMessage() + ".", "Write each peer as id@host:raftPort, separated by commas, e.g. "
                        + "n1@10.0.0.1:9500,n2@10.0.0.2:9500,n3@10.0.0.3:9500.");
            }
        }
        rejectDuplicates(members, peersProperty);
        String self = properties.getNodeId();
        if (self == null || self.isBlank()) {
            throw new RaftServerConfigurationException(propertyPrefix + ".node-id", "node-id is empty.",
                    "Give every node a unique, stable id.");
        }
        var listed = members.stream().filter(member -> member.id().equals(self)).findFirst();
        if (properties.isJoining()) {
            members.removeIf(member -> member.id().equals(self));
        } else if (listed.isPresent()) {
            int listedPort = MemberAddress.parse(listed.get().address()).raftPort();
            if (listedPort != properties.getRaftPort()) {
                throw new RaftServerConfigurationException(propertyPrefix + ".raft-port", "Node " + self
                        + " is listed in " + peersProperty + " with Raft port " + listedPort + " but "
                        + propertyPrefix + ".raft-port is " + properties.getRaftPort() + ".",
                        "Make " + propertyPrefix + ".raft-port and this node's entry in " + peersProperty
                                + " name the same port.");
            }
        } else if (members.isEmpty()) {
            members.add(new ClusterConfig.Member(self, properties.getRaftHost() + ":" + properties.getRaftPort()));
        } else {
            throw new RaftServerConfigurationException(peersProperty, "This node's id '" + self + "' is not in "
                    + peersProperty + " (" + ids(members) + ").",
                    "Set " + propertyPrefix + ".node-id to one of " + ids(members) + ", add this node to "
                            + peersProperty + " on every node, or set " + propertyPrefix + ".joining=true to join "
                            + "a running cluster with POST /v1/cluster/members.");
        }
        return new ClusterConfig(members);
    }

    private static void rejectDuplicates(List<ClusterConfig.Member> members, String peersProperty) {
        Set<String> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (ClusterConfig.Member member : members) {
            if (!ids.add(member.id())) {
                throw new RaftServerConfigurationException(peersProperty, "Node id '" + member.id()
                        + "' appears twice in " + peersProperty + ".", "Give every member a unique id.");
            }
            String raftAddress = MemberAddress.parse(member.address()).raftAddress();
            if (!addresses.add(raftAddress)) {
                throw new RaftServerConfigurationException(peersProperty, "Address " + raftAddress
                        + " appears twice in " + peersProperty + ".", "Give every member its own host:raftPort.");
            }
        }
    }

    private static String ids(List<ClusterConfig.Member> members) {
        return members.stream().map(ClusterConfig.Member::id).collect(Collectors.joining(", ", "[", "]"));
    }
}
