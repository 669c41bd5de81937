package io.flotilla.registryservice.lease;

import io.flotilla.raft.LeaderUnavailableException;
import io.flotilla.raft.server.ReadMode;
import io.flotilla.registry.api.LeaseDetails;
import io.flotilla.registry.api.LeaseGrantRequest;
import io.flotilla.registry.api.LeaseResponse;
import io.flotilla.registryservice.RegistryProperties;
import io.flotilla.registryservice.state.command.RegistryCommand;
import io.flotilla.registryservice.state.command.RegistryQuery;
import io.flotilla.registryservice.store.InvalidRequestException;
import io.flotilla.registryservice.store.NotFoundException;
import io.flotilla.registryservice.store.RegistryStore;
import io.flotilla.registryservice.web.Blocking;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.CompletableFuture;

/** Leases for the consistent core (sessions of locks, worker-id slots): grant, keep alive, revoke, inspect. */
@RestController
@RequestMapping("/v1/leases")
class LeaseController {

    private final RegistryStore store;
    private final LeaseTimers timers;
    private final RegistryProperties properties;

    LeaseController(RegistryStore store, LeaseTimers timers, RegistryProperties properties) {
        this.store = store;
        this.timers = timers;
        this.properties = properties;
    }

    @PostMapping
    CompletableFuture<ResponseEntity<LeaseResponse>> grant(@RequestBody LeaseGrantRequest request) {
        Long ttl = request.ttlSeconds();
        if (ttl == null || ttl <= 0 || ttl > properties.getMaxTtl().toSeconds()) {
            throw new InvalidRequestException("ttlSeconds must be 1.." + properties.getMaxTtl().toSeconds()
                    + ", got " + ttl);
        }
        return store.write(new RegistryCommand.GrantLease(ttl * 1000)).thenApply(ok -> ResponseEntity
                .status(HttpStatus.CREATED).header(Blocking.INDEX_HEADER, Long.toString(ok.index()))
                .body(new LeaseResponse(ok.leaseIds().getFirst(), ttl)));
    }

    /** Renews the lease on the leader (no log write); 404 once it has expired or was revoked. */
    @PutMapping("/{leaseId}/keepalive")
    ResponseEntity<LeaseResponse> keepAlive(@PathVariable long leaseId) {
        return switch (timers.keepAlive(leaseId)) {
            case RENEWED -> ResponseEntity.ok(new LeaseResponse(leaseId, timers.ttlMillis(leaseId).orElse(0) / 1000));
            case UNKNOWN -> throw new NotFoundException("no lease " + leaseId + " (expired or revoked)", 0);
            case NOT_LEADER -> throw new LeaderUnavailableException("this node stopped being the leader: retry");
        };
    }

    /** Revokes the lease, deleting its keys and instances; 404 when unknown. */
    @DeleteMapping("/{leaseId}")
    CompletableFuture<ResponseEntity<Void>> revoke(@PathVariable long leaseId) {
        return store.write(new RegistryCommand.RevokeLease(leaseId)).thenApply(ok -> ResponseEntity.noContent()
                .header(Blocking.INDEX_HEADER, Long.toString(ok.index())).<Void>build());
    }

    @GetMapping("/{leaseId}")
    CompletableFuture<LeaseDetails> get(@PathVariable long leaseId) {
        return store.read(new RegistryQuery.GetLease(leaseId), ReadMode.LINEARIZABLE).thenApply(answer -> {
            RegistryQuery.Lease lease = (RegistryQuery.Lease) answer;
            var view = lease.lease().orElseThrow(() -> new NotFoundException("no lease " + leaseId, 0));
            Long remaining = timers.remainingMillis(leaseId).isPresent() ? timers.remainingMillis(leaseId).getAsLong()
                    : null;
            return new LeaseDetails(view.leaseId(), view.ttlMillis() / 1000, remaining, view.keys(), view.instances());
        });
    }
}
