package io.flotilla.registryservice.instances;

import io.flotilla.raft.LeaderUnavailableException;
import io.flotilla.raft.server.RaftProblems;
import io.flotilla.raft.server.ReadMode;
import io.flotilla.registry.api.HeartbeatResponse;
import io.flotilla.registry.api.InstanceView;
import io.flotilla.registry.api.RegistrationRequest;
import io.flotilla.registry.api.RegistrationResponse;
import io.flotilla.registryservice.RegistryProperties;
import io.flotilla.registryservice.health.HealthChecker;
import io.flotilla.registryservice.lease.LeaseTimers;
import io.flotilla.registryservice.state.Instance;
import io.flotilla.registryservice.state.RegistryValidation;
import io.flotilla.registryservice.state.command.RegistryCommand;
import io.flotilla.registryservice.state.command.RegistryQuery;
import io.flotilla.registryservice.state.command.RegistryResult;
import io.flotilla.registryservice.store.CommandRefusedException;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Service registration and discovery. Registration grants a lease with the instance's TTL and registers the
 * instance on it (two log writes; re-registering with the same TTL reuses the live lease: one write).
 * Heartbeats renew the lease on the leader only, without a log write.
 */
@RestController
@RequestMapping("/v1/services")
class InstanceController {

    private final RegistryStore store;
    private final LeaseTimers leases;
    private final HealthChecker health;
    private final RegistryProperties properties;

    InstanceController(RegistryStore store, LeaseTimers leases, HealthChecker health, RegistryProperties properties) {
        this.store = store;
        this.leases = leases;
        this.health = health;
        this.properties = properties;
    }

    @GetMapping
    CompletableFuture<ResponseEntity<List<String>>> services(@RequestParam(required = false) String consistency,
            @RequestParam(name = "min-index", required = false) Long minIndex,
            @RequestParam(required = false) Long index, @RequestParam(required = false) String wait) {
        Blocking blocking = Blocking.of(index, wait, properties);
        return store.watch(new RegistryQuery.ListServices(), ReadMode.of(consistency, minIndex), blocking.index(),
                blocking.maxWait()).thenApply(answer -> {
                    RegistryQuery.ServiceNames names = (RegistryQuery.ServiceNames) answer;
                    return ResponseEntity.ok().header(Blocking.INDEX_HEADER, Long.toString(names.index()))
                            .body(names.names());
                });
    }

    @GetMapping("/{service}/instances")
    CompletableFuture<ResponseEntity<List<InstanceView>>> instances(@PathVariable String service,
            @RequestParam(required = false) String consistency,
            @RequestParam(name = "min-index", required = false) Long minIndex,
            @RequestParam(required = false) Long index, @RequestParam(required = false) String wait) {
        Blocking blocking = Blocking.of(index, wait, properties);
        return store.watch(new RegistryQuery.GetInstances(service), ReadMode.of(consistency, minIndex),
                blocking.index(), blocking.maxWait()).thenApply(answer -> {
                    RegistryQuery.Instances instances = (RegistryQuery.Instances) answer;
                    List<InstanceView> views = instances.instances().stream()
                            .map(i -> view(i, health.statusOf(i.service(), i.instanceId()))).toList();
                    return ResponseEntity.ok().header(Blocking.INDEX_HEADER, Long.toString(instances.index()))
                            .body(views);
                });
    }

    @PostMapping("/{service}/instances")
    CompletableFuture<ResponseEntity<RegistrationResponse>> register(@PathVariable String service,
                                                                     @RequestBody RegistrationRequest request) {
        RegistryCommand.RegisterInstance unleased = command(service, request);
        long ttlMillis = ttlMillis(request.ttlSeconds());
        OptionalLong current = leases.leaseOf(service, unleased.instanceId());
        CompletableFuture<RegistrationResponse> registered;
        if (current.isPresent() && leases.ttlMillis(current.getAsLong()).orElse(-1) == ttlMillis
                && leases.keepAlive(current.getAsLong()) == LeaseTimers.KeepAlive.RENEWED) {
            long leaseId = current.getAsLong();
            registered = store.write(withLease(unleased, leaseId))
                    .thenApply(ok -> new RegistrationResponse(unleased.instanceId(), leaseId, ok.index()))
                    .exceptionallyCompose(failure -> unknownLease(failure)
                            ? grantAndRegister(unleased, ttlMillis) : CompletableFuture.failedFuture(failure));
        } else {
            registered = grantAndRegister(unleased, ttlMillis);
        }
        return registered.thenApply(response -> ResponseEntity.status(HttpStatus.CREATED)
                .header(Blocking.INDEX_HEADER, Long.toString(response.index())).body(response));
    }

    @PutMapping("/{service}/instances/{instanceId}/heartbeat")
    ResponseEntity<HeartbeatResponse> heartbeat(@PathVariable String service, @PathVariable String instanceId) {
        OptionalLong leaseId = leases.leaseOf(service, instanceId);
        LeaseTimers.KeepAlive outcome = leaseId.isPresent() ? leases.keepAlive(leaseId.getAsLong())
                : LeaseTimers.KeepAlive.UNKNOWN;
        return switch (outcome) {
            case RENEWED -> ResponseEntity.ok(new HeartbeatResponse(instanceId, leaseId.getAsLong(),
                    leases.ttlMillis(leaseId.getAsLong()).orElse(0) / 1000));
            case UNKNOWN -> throw new NotFoundException("no instance " + instanceId + " of service " + service
                    + " with a live lease: register it again", 0);
            case NOT_LEADER -> throw new LeaderUnavailableException(
                    "this node stopped being the leader: retry");
        };
    }

    /** Idempotent: deregistering an instance that is not there is a 204 too. */
    @DeleteMapping("/{service}/instances/{instanceId}")
    CompletableFuture<ResponseEntity<Void>> deregister(@PathVariable String service, @PathVariable String instanceId) {
        return store.write(new RegistryCommand.DeregisterInstance(service, instanceId))
                .thenApply(ok -> ResponseEntity.noContent()
                        .header(Blocking.INDEX_HEADER, Long.toString(ok.index())).<Void>build())
                .exceptionally(failure -> {
                    if (RaftProblems.unwrap(failure) instanceof CommandRefusedException refused
                            && refused.reason() == RegistryResult.Reason.NOT_FOUND) {
                        return ResponseEntity.noContent().build();
                    }
                    throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure);
                });
    }

    private CompletableFuture<RegistrationResponse> grantAndRegister(RegistryCommand.RegisterInstance unleased,
                                                                    long ttlMillis) {
        return store.write(new RegistryCommand.GrantLease(ttlMillis)).thenCompose(granted -> {
            long leaseId = granted.leaseIds().getFirst();
            return store.write(withLease(unleased, leaseId))
                    .thenApply(ok -> new RegistrationResponse(unleased.instanceId(), leaseId, ok.index()));
        });
    }

    private RegistryCommand.RegisterInstance command(String service, RegistrationRequest request) {
        if (request.host() == null || request.port() == null) {
            throw new InvalidRequestException("host and port are required");
        }
        String instanceId = request.instanceId() != null ? request.instanceId()
                : (request.host() + "-" + request.port()).replaceAll("[^A-Za-z0-9._-]", "-");
        RegistryCommand.RegisterInstance command = new RegistryCommand.RegisterInstance(service, instanceId,
                request.host(), request.port(), Boolean.TRUE.equals(request.secure()),
                request.metadata() == null ? Map.of() : request.metadata(),
                request.zone() == null ? "" : request.zone(), request.weight() == null ? 1 : request.weight(), 0);
        RegistryValidation.problem(command).ifPresent(problem -> {
            throw new InvalidRequestException(problem);
        });
        return command;
    }

    private long ttlMillis(Long ttlSeconds) {
        if (ttlSeconds == null) {
            return properties.getDefaultTtl().toMillis();
        }
        if (ttlSeconds <= 0 || ttlSeconds > properties.getMaxTtl().toSeconds()) {
            throw new InvalidRequestException("ttlSeconds must be 1.." + properties.getMaxTtl().toSeconds()
                    + ", got " + ttlSeconds);
        }
        return ttlSeconds * 1000;
    }

    private static InstanceView view(Instance instance, String status) {
        return new InstanceView(instance.service(), instance.instanceId(), instance.host(), instance.port(),
                instance.secure(), instance.metadata(), instance.zone(), instance.weight(), instance.leaseId(), status,
                instance.createIndex(), instance.modIndex());
    }

    private static RegistryCommand.RegisterInstance withLease(RegistryCommand.RegisterInstance c, long leaseId) {
        return new RegistryCommand.RegisterInstance(c.service(), c.instanceId(), c.host(), c.port(), c.secure(),
                c.metadata(), c.zone(), c.weight(), leaseId);
    }

    private static boolean unknownLease(Throwable failure) {
        return RaftProblems.unwrap(failure) instanceof CommandRefusedException refused
                && refused.reason() == RegistryResult.Reason.UNKNOWN_LEASE;
    }
}
