package io.flotilla.registryservice.console;

import io.flotilla.raft.server.RaftServer;
import io.flotilla.registry.api.RegistrationRequest;
import io.flotilla.registryservice.lease.LeaseTimers;
import io.flotilla.registryservice.state.Instance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drain, un-drain and re-weigh an instance by registering it again, changed, through this node's own
 * {@code POST /v1/services/{service}/instances}: the registry's write path with its token check and leader
 * forwarding, exactly what the instance's own starter does for {@code setStatus(registration, "DRAINING")}. The TTL
 * is the instance's lease's, so the registry keeps the lease and the instance's heartbeats go on.
 */
class InstanceWrites {

    /** The outcome shown to the person who clicked. */
    public record Outcome(boolean ok, String message) {
    }

    static final String STATUS = "status";

    private final RaftServer raft;
    private final LeaseTimers leases;
    private final ConsoleHttp http;

    InstanceWrites(RaftServer raft, LeaseTimers leases, ConsoleHttp http) {
        this.raft = raft;
        this.leases = leases;
        this.http = http;
    }

    Outcome setStatus(Instance instance, String status, String token, String selfUrl) {
        Map<String, String> metadata = new LinkedHashMap<>(instance.metadata());
        if ("UP".equals(status)) {
            metadata.remove(STATUS);
        } else {
            metadata.put(STATUS, status);
        }
        return register(instance, metadata, instance.weight(), token, selfUrl,
                instance.instanceId() + ("UP".equals(status) ? " is back in rotation" : " is " + status));
    }

    Outcome setWeight(Instance instance, int weight, String token, String selfUrl) {
        return register(instance, instance.metadata(), weight, token, selfUrl,
                instance.instanceId() + " now has weight " + weight);
    }

    private Outcome register(Instance instance, Map<String, String> metadata, int weight, String token,
                             String selfUrl, String done) {
        Long ttlSeconds = instance.leaseId() == 0 ? null
                : leases.ttlMillis(instance.leaseId()).stream().mapToObj(ms -> (ms + 999) / 1000).findFirst()
                .orElse(null);
        RegistrationRequest request = new RegistrationRequest(instance.instanceId(), instance.host(),
                instance.port(), instance.secure(), metadata, instance.zone(), weight, ttlSeconds);
        String base = raft.ownHttpUrl().orElse(selfUrl);
        // As long as the registry itself may take to commit it, and a little more for the call.
        ConsoleHttp.Answer answer = http.post(base + "/v1/services/" + instance.service() + "/instances", request, token,
                raft.properties().getSubmitTimeout().plusSeconds(2));
        if (answer.ok()) {
            return new Outcome(true, done);
        }
        if (answer.status() == 401) {
            return new Outcome(false, "the registry wants its token for writes: sign in first");
        }
        if (answer.status() == 0) {
            return new Outcome(false, "the registry did not answer (" + answer.body() + "): the change may or may "
                    + "not have been made, the list shows which");
        }
        return new Outcome(false, "the registry answered " + answer.status() + ": " + detail(answer.body()));
    }

    private String detail(String body) {
        try {
            return http.json().readTree(body).path("detail").asString(body);
        } catch (RuntimeException e) {
            return body;
        }
    }
}
