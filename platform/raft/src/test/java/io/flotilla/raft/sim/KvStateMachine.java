package io.flotilla.raft.sim;

import io.flotilla.raft.StateMachine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A key-value store with put, get and compare-and-set, the model the linearizability checker knows.
 * Commands are {@code P|key|value}, {@code C|key|expected|new}, {@code G|key}; a query is a key. A missing
 * key reads as the empty string. Every applied command is reported to the {@link ApplyListener} so the
 * simulation can compare what nodes applied at each index.
 */
final class KvStateMachine implements StateMachine {

    interface ApplyListener {
        void applied(long index, byte[] command);
    }

    private final ApplyListener listener;
    private final TreeMap<String, String> data = new TreeMap<>();

    KvStateMachine(ApplyListener listener) {
        this.listener = listener;
    }

    static byte[] put(String key, String value) {
        return ("P|" + key + "|" + value).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] cas(String key, String expected, String value) {
        return ("C|" + key + "|" + expected + "|" + value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        listener.applied(index, command);
        String[] parts = new String(command, StandardCharsets.UTF_8).split("\\|", -1);
        String result = switch (parts[0]) {
            case "P" -> {
                data.put(parts[1], parts[2]);
                yield "OK";
            }
            case "C" -> {
                boolean matches = data.getOrDefault(parts[1], "").equals(parts[2]);
                if (matches) {
                    data.put(parts[1], parts[3]);
                }
                yield Boolean.toString(matches);
            }
            case "G" -> data.getOrDefault(parts[1], "");
            default -> throw new IllegalArgumentException("unknown command " + parts[0]);
        };
        return result.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] query(byte[] query) {
        return data.getOrDefault(new String(query, StandardCharsets.UTF_8), "").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(data.size());
            for (Map.Entry<String, String> entry : data.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeUTF(entry.getValue());
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
                data.put(in.readUTF(), in.readUTF());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, String> contents() {
        return Map.copyOf(data);
    }
}
