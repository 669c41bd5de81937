package io.flotilla.registryservice.state;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A registered instance of a service. {@code leaseId} is 0 when the instance has no lease (it then stays
 * until deregistered). {@code createIndex} is the log index of the first registration, {@code modIndex} of
 * the latest one.
 */
public record Instance(String service, String instanceId, String host, int port, boolean secure,
                       Map<String, String> metadata, String zone, int weight, long leaseId,
                       long createIndex, long modIndex) {

    public Instance {
        metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    }
}
