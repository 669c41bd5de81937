package io.flotilla.raft.client;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which configured address is the leader, read from a node's {@code GET /v1/cluster} (every Raft-backed Flotilla
 * service answers it locally: {@code leaderId} and each member's published {@code httpAddress}). A client that
 * writes to a follower makes it forward every write, one more hop and the follower's CPU; asking once in a while
 * costs one small read. Only an address the client was configured with is ever chosen, compared by scheme, host,
 * port and path as written: a leader published under another name is simply not found, and nothing changes.
 */
final class LeaderHint {

    /** Where every Raft-backed service describes its cluster. */
    static final String CLUSTER_PATH = "/v1/cluster";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<URI> addresses;

    LeaderHint(List<URI> addresses) {
        this.addresses = addresses;
    }

    /** @return the index in the configured addresses of the leader the view names, if it is one of them */
    OptionalInt leaderIndex(byte[] clusterView) {
        JsonNode view;
        try {
            view = JSON.readTree(clusterView);
        }
        catch (JacksonException notAView) {
            return OptionalInt.empty();
        }
        String leaderId = view.path("leaderId").isString() ? view.get("leaderId").asString() : null;
        if (leaderId == null) {
            return OptionalInt.empty();
        }
        for (JsonNode member : view.path("members")) {
            if (member.path("id").isString() && leaderId.equals(member.get("id").asString())
                    && member.path("httpAddress").isString()) {
                return indexOf(member.get("httpAddress").asString());
            }
        }
        return OptionalInt.empty();
    }

    private OptionalInt indexOf(String published) {
        String wanted = normalized(published);
        for (int i = 0; i < addresses.size(); i++) {
            if (normalized(addresses.get(i).toString()).equals(wanted)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    private static String normalized(String address) {
        String text = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        return text.toLowerCase(Locale.ROOT);
    }
}
