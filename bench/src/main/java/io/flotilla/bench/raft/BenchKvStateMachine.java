package io.flotilla.bench.raft;

import io.flotilla.raft.StateMachine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The benchmark's replicated store: puts only, like the etcd side. A command is the key's length (int),
 * the key in UTF-8 and the value; a query is a key and answers its value (empty when missing).
 */
final class BenchKvStateMachine implements StateMachine {

    private static final byte[] OK = new byte[0];

    private final Map<String, byte[]> data = new HashMap<>();

    static byte[] put(String key, byte[] value) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + keyBytes.length + value.length)
                .putInt(keyBytes.length).put(keyBytes).put(value).array();
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        ByteBuffer buffer = ByteBuffer.wrap(command);
        byte[] key = new byte[buffer.getInt()];
        buffer.get(key);
        byte[] value = new byte[buffer.remaining()];
        buffer.get(value);
        data.put(new String(key, StandardCharsets.UTF_8), value);
        return OK;
    }

    @Override
    public byte[] query(byte[] query) {
        return data.getOrDefault(new String(query, StandardCharsets.UTF_8), OK);
    }

    @Override
    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(data.size());
            for (Map.Entry<String, byte[]> entry : data.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeInt(entry.getValue().length);
                out.write(entry.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void restore(byte[] snapshot) {
        data.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            int size = in.readInt();
            for (int i = 0; i < size; i++) {
                String key = in.readUTF();
                data.put(key, in.readNBytes(in.readInt()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
