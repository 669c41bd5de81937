package io.flotilla.raft.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How a client command sits in a COMMAND log entry: its session (so every node deduplicates it the same
 * way when applying) followed by the state machine's own bytes. {@code clientId} is null for commands
 * submitted without a session.
 */
record CommandEnvelope(String clientId, long sequence, byte[] command) {

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(command.length + 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(clientId != null);
            if (clientId != null) {
                out.writeUTF(clientId);
                out.writeLong(sequence);
            }
            out.write(command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static CommandEnvelope decode(byte[] data) {
        ByteArrayInputStream bytes = new ByteArrayInputStream(data);
        try (DataInputStream in = new DataInputStream(bytes)) {
            String clientId = null;
            long sequence = 0;
            if (in.readBoolean()) {
                clientId = in.readUTF();
                sequence = in.readLong();
            }
            // The rest from the array itself (one exact copy): DataInputStream's readAllBytes is InputStream's,
            // which reads through a fresh 16 KB buffer, and that was over half of all a busy node allocated.
            return new CommandEnvelope(clientId, sequence, bytes.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("corrupt command entry", e);
        }
    }
}
