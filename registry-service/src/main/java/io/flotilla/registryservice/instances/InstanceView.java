package io.flotilla.registryservice.instances;

import io.flotilla.registryservice.state.Instance;

import java.util.Map;

/**
 * One instance in {@code GET /v1/services/{service}/instances}. {@code status} is {@code UP}, or {@code DOWN}
 * when its {@code metadata.healthCheckUrl} check fails on the answering node.
 */
public record InstanceView(String service, String instanceId, String host, int port, boolean secure,
                           Map<String, String> metadata, String zone, int weight, long leaseId, String status,
                           long createIndex, long modIndex) {

    static InstanceView of(Instance instance, String status) {
        return new InstanceView(instance.service(), instance.instanceId(), instance.host(), instance.port(),
                instance.secure(), instance.metadata(), instance.zone(), instance.weight(), instance.leaseId(), status,
                instance.createIndex(), instance.modIndex());
    }
}
