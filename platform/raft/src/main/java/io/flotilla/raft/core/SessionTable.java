package io.flotilla.raft.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The idempotent receiver: per client, the last applied sequence number and its result. It is part of the
 * replicated state (snapshotted with the state machine) and changes only as entries are applied, so every
 * node holds the same table. Sessions expire by log index, never by local time, for the same reason.
 * Iteration order is least recently used first, which makes expiry and eviction cheap and deterministic.
 */
final class SessionTable {

    /** Outcome of looking a request up before applying it. */
    sealed interface Lookup {
    }

    /** Not seen before: apply it. */
    record Fresh() implements Lookup {
    }

    /** Already applied: answer with the cached result. */
    record Duplicate(byte[] result) implements Lookup {
    }

    /** Older than the last applied request of the session: its result is gone. */
    record Stale(long lastSequence) implements Lookup {
    }

    private record Session(long lastSequence, byte[] lastResult, long lastActiveIndex) {
    }

    private static final Fresh FRESH = new Fresh();

    private final long expiryEntries;
    private final int maxSessions;
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>();

    SessionTable(long expiryEntries, int maxSessions) {
        this.expiryEntries = expiryEntries;
        this.maxSessions = maxSessions;
    }

    Lookup lookup(String clientId, long sequence) {
        Session session = sessions.get(clientId);
        if (session == null || sequence > session.lastSequence()) {
            return FRESH;
        }
        if (sequence == session.lastSequence()) {
            return new Duplicate(session.lastResult());
        }
        return new Stale(session.lastSequence());
    }

    void record(String clientId, long sequence, byte[] result, long index) {
        sessions.remove(clientId);
        sessions.put(clientId, new Session(sequence, result, index));
        expire(index);
    }

    private void expire(long index) {
        Iterator<Map.Entry<String, Session>> oldestFirst = sessions.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Session oldest = oldestFirst.next().getValue();
            if (sessions.size() > maxSessions || oldest.lastActiveIndex() + expiryEntries < index) {
                oldestFirst.remove();
            } else {
                return;
            }
        }
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(sessions.size());
            for (Map.Entry<String, Session> entry : sessions.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeLong(entry.getValue().lastSequence());
                out.writeLong(entry.getValue().lastActiveIndex());
                out.writeInt(entry.getValue().lastResult().length);
                out.write(entry.getValue().lastResult());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    void restore(byte[] encoded) {
        sessions.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String clientId = in.readUTF();
                long sequence = in.readLong();
                long lastActive = in.readLong();
                byte[] result = in.readNBytes(in.readInt());
                sessions.put(clientId, new Session(sequence, result, lastActive));
            }
        } catch (IOException e) {
            throw new IllegalStateException("corrupt session table in snapshot", e);
        }
    }
}
