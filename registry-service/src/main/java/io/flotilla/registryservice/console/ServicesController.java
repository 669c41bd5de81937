package io.flotilla.registryservice.console;

import io.swagger.v3.oas.annotations.Hidden;
import io.flotilla.raft.server.ReadMode;
import io.flotilla.registryservice.health.HealthChecker;
import io.flotilla.registryservice.lease.LeaseTimers;
import io.flotilla.registryservice.state.Instance;
import io.flotilla.registryservice.state.command.RegistryQuery;
import io.flotilla.registryservice.store.RegistryStore;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The services page: every instance with its status, weight, zone, version and lease, kept current by a blocking
 * query on the service list's index (any registration, deregistration or expiry answers it at once; otherwise it
 * renders again after {@code console.refresh}, for the lease countdowns). Drain, un-drain and weight are forms.
 */
@Hidden
@ConditionalOnConsole
@Controller("consoleServicesController")
@RequestMapping("/ui/services")
class ServicesController {

    private final RegistryStore store;
    private final LeaseTimers leases;
    private final HealthChecker health;
    private final InstanceWrites writes;
    private final ConsoleToken token;
    private final ConsoleProperties properties;

    ServicesController(RegistryStore store, LeaseTimers leases, HealthChecker health, InstanceWrites writes,
                       ConsoleToken token, ConsoleProperties properties) {
        this.store = store;
        this.leases = leases;
        this.health = health;
        this.writes = writes;
        this.token = token;
        this.properties = properties;
    }

    @GetMapping
    CompletableFuture<ModelAndView> page(HttpServletRequest request) {
        return snapshot(0, Duration.ZERO).thenApply(model -> page("console/services", model, request));
    }

    /** The live part: answers once the service list's index passes {@code index}, or after the refresh wait. */
    @GetMapping("/live")
    CompletableFuture<ModelAndView> live(@RequestParam(defaultValue = "0") long index, HttpServletRequest request) {
        return snapshot(index, properties.getRefresh())
                .thenApply(model -> page("console/services :: live", model, request));
    }

    @PostMapping("/{service}/instances/{instanceId}/status")
    CompletableFuture<ModelAndView> status(@PathVariable String service, @PathVariable String instanceId,
                                           @RequestParam String status, HttpServletRequest request) {
        String wanted = "DRAINING".equals(status) ? "DRAINING" : "UP";
        return write(service, instanceId, request,
                instance -> writes.setStatus(instance, wanted, token.of(request), selfUrl(request)));
    }

    @PostMapping("/{service}/instances/{instanceId}/weight")
    CompletableFuture<ModelAndView> weight(@PathVariable String service, @PathVariable String instanceId,
                                           @RequestParam String weight, HttpServletRequest request) {
        int parsed;
        try {
            parsed = Integer.parseInt(weight.trim());
        } catch (NumberFormatException e) {
            parsed = -1;
        }
        if (parsed < 0 || parsed > 10_000) {
            InstanceWrites.Outcome refused = new InstanceWrites.Outcome(false, "weight must be 0..10000, got " + weight);
            return snapshot(0, Duration.ZERO).thenApply(model -> withOutcome(model, refused, request));
        }
        int newWeight = parsed;
        return write(service, instanceId, request,
                instance -> writes.setWeight(instance, newWeight, token.of(request), selfUrl(request)));
    }

    private CompletableFuture<ModelAndView> write(String service, String instanceId, HttpServletRequest request,
                                                  java.util.function.Function<Instance, InstanceWrites.Outcome> change) {
        // On this request's thread, never in a callback of the read: that may run on the Raft event loop, which the
        // write below (a call to this very node) needs in order to commit.
        RegistryQuery.Instances instances = (RegistryQuery.Instances) store
                .read(new RegistryQuery.GetInstances(service), ReadMode.STALE).join();
        Instance instance = instances.instances().stream()
                .filter(i -> i.instanceId().equals(instanceId)).findFirst().orElse(null);
        InstanceWrites.Outcome outcome = instance == null
                ? new InstanceWrites.Outcome(false, "no instance " + instanceId + " of " + service)
                : change.apply(instance);
        return snapshot(0, Duration.ZERO).thenApply(model -> withOutcome(model, outcome, request));
    }

    private ModelAndView withOutcome(Map<String, Object> model, InstanceWrites.Outcome outcome,
                                     HttpServletRequest request) {
        ModelAndView view = page("console/services :: live", model, request);
        view.addObject("outcome", outcome);
        return view;
    }

    private ModelAndView page(String view, Map<String, Object> model, HttpServletRequest request) {
        ModelAndView page = new ModelAndView(view, model);
        page.addObject("signedIn", token.signedIn(request));
        page.addObject("tokenRequired", token.required());
        page.addObject("leader", leases.isLeader());
        return page;
    }

    private CompletableFuture<Map<String, Object>> snapshot(long index, Duration wait) {
        return store.watch(new RegistryQuery.ListServices(), ReadMode.STALE, index, wait).thenCompose(answer -> {
            RegistryQuery.ServiceNames names = (RegistryQuery.ServiceNames) answer;
            List<CompletableFuture<RegistryQuery.Answer>> reads = names.names().stream()
                    .map(name -> store.read(new RegistryQuery.GetInstances(name), ReadMode.STALE)).toList();
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<InstanceRow> rows = new ArrayList<>();
                for (CompletableFuture<RegistryQuery.Answer> read : reads) {
                    ((RegistryQuery.Instances) read.join()).instances().forEach(i -> rows.add(row(i)));
                }
                rows.sort(Comparator.comparing(InstanceRow::service).thenComparing(InstanceRow::instanceId));
                return Map.<String, Object>of("instances", rows, "index", names.index(),
                        "serviceCount", names.names().size());
            });
        });
    }

    private InstanceRow row(Instance instance) {
        String checked = health.statusOf(instance.service(), instance.instanceId());
        String status = !HealthChecker.UP.equals(checked) ? checked
                : instance.metadata().getOrDefault(InstanceWrites.STATUS, "UP");
        String lastHeartbeat = null;
        String expiresIn = null;
        if (instance.leaseId() != 0) {
            var remaining = leases.remainingMillis(instance.leaseId());
            var ttl = leases.ttlMillis(instance.leaseId());
            if (remaining.isPresent() && ttl.isPresent()) {
                expiresIn = Durations.format(Duration.ofMillis(remaining.getAsLong()));
                lastHeartbeat = Durations.format(Duration.ofMillis(ttl.getAsLong() - remaining.getAsLong())) + " ago";
            }
        }
        return new InstanceRow(instance.service(), instance.instanceId(), instance.host() + ":" + instance.port(),
                status, instance.weight(), instance.zone().isEmpty() ? "—" : instance.zone(),
                instance.metadata().getOrDefault("version", "—"), instance.leaseId(),
                lastHeartbeat == null ? "—" : lastHeartbeat, expiresIn == null ? "—" : expiresIn);
    }

    /** This node as the browser reached it: the fallback until the node's own address is published. */
    private static String selfUrl(HttpServletRequest request) {
        String host = request.getLocalAddr();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return request.getScheme() + "://" + host + ":" + request.getLocalPort();
    }
}
