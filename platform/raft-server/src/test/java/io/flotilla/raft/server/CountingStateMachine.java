package io.flotilla.raft.server;

import io.flotilla.raft.StateMachine;

import java.nio.ByteBuffer;

/**
 * Adds each command's long to a sum; a query answers the sum. Adding {@link #POISON} fails the apply, which stops
 * the node (fail-stop): how the tests make a node stop itself after a fault.
 */
public final class CountingStateMachine implements StateMachine {

    /** A command value the state machine refuses by throwing. */
    public static final long POISON = Long.MIN_VALUE;

    private long sum;

    @Override
    public byte[] apply(long index, byte[] command) {
        long value = ByteBuffer.wrap(command).getLong();
        if (value == POISON) {
            throw new IllegalStateException("poisoned command at index " + index);
        }
        sum += value;
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

    public static byte[] toBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    public static long fromBytes(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }
}
