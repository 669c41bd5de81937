package io.flotilla.raft.server;

import io.flotilla.raft.StateMachine;

import java.nio.ByteBuffer;

/** Adds each command's long to a sum; a query answers the sum. */
final class CountingStateMachine implements StateMachine {

    private long sum;

    @Override
    public byte[] apply(long index, byte[] command) {
        sum += ByteBuffer.wrap(command).getLong();
        return toBytes(sum);
    }

    @Override
    public byte[] query(byte[] query) {
        return toBytes(sum);
    }

    @Override
    public byte[] snapshot() {
        return toBytes(sum);
    }

    @Override
    public void restore(byte[] snapshot) {
        sum = ByteBuffer.wrap(snapshot).getLong();
    }

    static byte[] toBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static long fromBytes(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }
}
