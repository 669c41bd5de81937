package io.flotilla.registryservice.state.command;

import io.flotilla.registryservice.state.Instance;
import io.flotilla.registry.api.KvEntry;
import io.flotilla.registryservice.state.LeaseView;

import java.util.List;
import java.util.Optional;

/** Read-only questions, and their answers. Each answer that can be watched carries the index to block on. */
public sealed interface RegistryQuery {

    record ListServices() implements RegistryQuery {
    }

    record GetInstances(String service) implements RegistryQuery {
    }

    record KvGet(String key) implements RegistryQuery {
    }

    /** Every key that starts with {@code prefix} (plain string prefix), in key order. */
    record KvGetPrefix(String prefix) implements RegistryQuery {
    }

    record GetLease(long leaseId) implements RegistryQuery {
    }

    sealed interface Answer {
    }

    record ServiceNames(List<String> names, long index) implements Answer {

        public ServiceNames {
            names = List.copyOf(names);
        }
    }

    record Instances(String service, List<Instance> instances, long index) implements Answer {

        public Instances {
            instances = List.copyOf(instances);
        }
    }

    record KvEntries(List<KvEntry> entries, long index) implements Answer {

        public KvEntries {
            entries = List.copyOf(entries);
        }
    }

    record Lease(Optional<LeaseView> lease) implements Answer {
    }
}
