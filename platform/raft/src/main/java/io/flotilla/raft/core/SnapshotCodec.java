package io.flotilla.raft.core;

import java.nio.ByteBuffer;

/** A node snapshot is the session table followed by the state machine's bytes, length-prefixed. */
final class SnapshotCodec {

    record Parts(byte[] sessions, byte[] stateMachine) {
    }

    private SnapshotCodec() {
    }

    static byte[] encode(byte[] sessions, byte[] stateMachine) {
        return ByteBuffer.allocate(4 + sessions.length + stateMachine.length)
                .putInt(sessions.length).put(sessions).put(stateMachine).array();
    }

    static Parts decode(byte[] snapshot) {
        ByteBuffer buffer = ByteBuffer.wrap(snapshot);
        byte[] sessions = new byte[buffer.getInt()];
        buffer.get(sessions);
        byte[] stateMachine = new byte[buffer.remaining()];
        buffer.get(stateMachine);
        return new Parts(sessions, stateMachine);
    }
}
