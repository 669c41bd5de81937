package io.flotilla.registryservice.state;

import io.flotilla.registryservice.state.command.RegistryCodec;
import io.flotilla.registryservice.state.command.RegistryCommand;
import io.flotilla.registryservice.state.command.RegistryQuery;
import io.flotilla.registryservice.state.command.RegistryResult;

/** Feeds a state machine commands at consecutive log indexes, through the byte codec as Raft would. */
final class Driver {

    final RegistryStateMachine machine;
    long nextIndex = 1;

    Driver(RegistryStateMachine machine) {
        this.machine = machine;
    }

    Driver() {
        this(new RegistryStateMachine());
    }

    RegistryResult apply(RegistryCommand command) {
        return RegistryCodec.decodeResult(machine.apply(nextIndex++, RegistryCodec.encode(command)));
    }

    RegistryResult.Ok ok(RegistryCommand command) {
        RegistryResult result = apply(command);
        if (!(result instanceof RegistryResult.Ok ok)) {
            throw new AssertionError("expected Ok for " + command + ", got " + result);
        }
        return ok;
    }

    RegistryQuery.Answer query(RegistryQuery query) {
        return RegistryCodec.decodeAnswer(machine.query(RegistryCodec.encode(query)));
    }

    RegistryQuery.Instances instances(String service) {
        return (RegistryQuery.Instances) query(new RegistryQuery.GetInstances(service));
    }

    RegistryQuery.KvEntries get(String key) {
        return (RegistryQuery.KvEntries) query(new RegistryQuery.KvGet(key));
    }

    RegistryQuery.KvEntries prefix(String prefix) {
        return (RegistryQuery.KvEntries) query(new RegistryQuery.KvGetPrefix(prefix));
    }
}
