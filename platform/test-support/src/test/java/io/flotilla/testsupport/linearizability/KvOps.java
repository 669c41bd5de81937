package io.flotilla.testsupport.linearizability;

/** Terse constructors for hand-written KV histories: {@code put(client, key, value, call, return)}. */
final class KvOps {

    private KvOps() {
    }

    static Operation put(int client, String key, String value, long call, long ret) {
        return Operation.completed(client, new KvInput.Put(key, value), KvModel.Ack.OK, call, ret);
    }

    static Operation get(int client, String key, String observed, long call, long ret) {
        return Operation.completed(client, new KvInput.Get(key), observed, call, ret);
    }

    static Operation cas(int client, String key, String expected, String newValue, boolean swapped, long call, long ret) {
        return Operation.completed(client, new KvInput.Cas(key, expected, newValue), swapped, call, ret);
    }

    static Operation putTimedOut(int client, String key, String value, long call) {
        return Operation.timedOut(client, new KvInput.Put(key, value), call);
    }

    static Operation casTimedOut(int client, String key, String expected, String newValue, long call) {
        return Operation.timedOut(client, new KvInput.Cas(key, expected, newValue), call);
    }

    static Operation getTimedOut(int client, String key, long call) {
        return Operation.timedOut(client, new KvInput.Get(key), call);
    }
}
