package io.flotilla.registryservice.store;

import io.flotilla.registryservice.state.Instance;
import io.flotilla.registryservice.state.RegistryChangeListener;

import java.util.List;
import java.util.Map;

/** Hands every state machine event to each of several listeners, in order. */
public final class ChangeListeners implements RegistryChangeListener {

    private final List<RegistryChangeListener> listeners;

    public ChangeListeners(List<RegistryChangeListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void serviceChanged(long index, String service) {
        listeners.forEach(l -> l.serviceChanged(index, service));
    }

    @Override
    public void keyChanged(long index, String key) {
        listeners.forEach(l -> l.keyChanged(index, key));
    }

    @Override
    public void stateReplaced(long lastChangeIndex) {
        listeners.forEach(l -> l.stateReplaced(lastChangeIndex));
    }

    @Override
    public void leaseGranted(long leaseId, long ttlMillis) {
        listeners.forEach(l -> l.leaseGranted(leaseId, ttlMillis));
    }

    @Override
    public void leaseRemoved(long leaseId) {
        listeners.forEach(l -> l.leaseRemoved(leaseId));
    }

    @Override
    public void instanceRegistered(Instance instance) {
        listeners.forEach(l -> l.instanceRegistered(instance));
    }

    @Override
    public void instanceRemoved(String service, String instanceId) {
        listeners.forEach(l -> l.instanceRemoved(service, instanceId));
    }

    @Override
    public void restored(Map<Long, Long> leaseTtls, List<Instance> instances) {
        listeners.forEach(l -> l.restored(leaseTtls, instances));
    }
}
