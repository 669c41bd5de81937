package io.flotilla.registryservice.console;

/**
 * One instance on the services page. {@code status} is the registry's health status when a check fails, else
 * the instance's own {@code metadata.status} (e.g. DRAINING), else UP: what the load balancers act on.
 * {@code lastHeartbeat} and {@code expiresIn} are known on the leader only (heartbeats are leader-local).
 */
public record InstanceRow(String service, String instanceId, String address, String status, int weight, String zone,
                   String version, long leaseId, String lastHeartbeat, String expiresIn) {

    public boolean draining() {
        return "DRAINING".equals(status);
    }

    /** An id for the page's element (and for tests): service and instance id, which names keep unique. */
    public String elementId() {
        return "instance-" + service + "--" + instanceId;
    }
}
