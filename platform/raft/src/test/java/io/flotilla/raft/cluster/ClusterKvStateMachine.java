package io.flotilla.raft.cluster;

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
 * A string key-value store for the real-socket tests (the simulator's store is package-private to it).
 * Commands are {@code P|key|value} and {@code C|key|expected|new} (a missing key reads as the empty string,
 * so values are never empty); queries are {@code G|key} and {@code D}, which dumps the whole map in key
 * order so nodes can be compared.
 */
final class ClusterKvStateMachine implements StateMachine {

    private final TreeMap<String, String> data = new TreeMap<>();

    static byte[] put(String key, String value) {
        return utf8("P|" + key + "|" + value);
    }

    static byte[] cas(String key, String expected, String value) {
        return utf8("C|" + key + "|" + (expected == null ? "" : expected) + "|" + value);
    }

    static byte[] get(String key) {
        return utf8("G|" + key);
    }

    static byte[] dump() {
        return utf8("D");
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        String[] parts = new String(command, StandardCharsets.UTF_8).split("\\|", -1);
        return switch (parts[0]) {
            case "P" -> {
                data.put(parts[1], parts[2]);
                yield utf8("OK");
            }
            case "C" -> {
                boolean matches = data.getOrDefault(parts[1], "").equals(parts[2]);
                if (matches) {
                    data.put(parts[1], parts[3]);
                }
                yield utf8(Boolean.toString(matches));
            }
            default -> throw new IllegalArgumentException("unknown command " + parts[0]);
        };
    }

    @Override
    public byte[] query(byte[] query) {
        String text = new String(query, StandardCharsets.UTF_8);
        if (text.equals("D")) {
            StringBuilder dump = new StringBuilder();
            data.forEach((key, value) -> dump.append(key).append('=').append(value).append('\n'));
            return utf8(dump.toString());
        }
        if (!text.startsWith("G|")) {
            throw new IllegalArgumentException("unknown query " + text);
        }
        return utf8(data.getOrDefault(text.substring(2), ""));
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

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
