package io.flotilla.raft.storage.file;

import io.flotilla.raft.storage.HardState;
import io.flotilla.raft.storage.HardStateStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@link HardState} in one small file, replaced atomically on every save (see {@link DurableFile}).
 * Payload: term (long) | votedFor length in UTF-8 bytes (int, -1 for nobody) | votedFor.
 */
public final class FileHardStateStore implements HardStateStore {

    private static final int MAGIC = 0x46524853;

    private final DurableFile file;
    private HardState current;

    public FileHardStateStore(Path path, boolean fsync) {
        this.file = new DurableFile(path, MAGIC, fsync);
        file.deleteLeftoverTemp();
        this.current = file.read().map(this::decode).orElse(HardState.INITIAL);
    }

    @Override
    public HardState load() {
        return current;
    }

    @Override
    public void save(HardState state) {
        Objects.requireNonNull(state, "state");
        byte[] votedFor = state.votedFor() == null ? null : state.votedFor().getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(12 + (votedFor == null ? 0 : votedFor.length));
        payload.putLong(state.term());
        if (votedFor == null) {
            payload.putInt(-1);
        } else {
            payload.putInt(votedFor.length).put(votedFor);
        }
        file.write(payload.flip());
        current = state;
    }

    private HardState decode(ByteBuffer payload) {
        try {
            long term = payload.getLong();
            int length = payload.getInt();
            String votedFor = null;
            if (length >= 0) {
                byte[] bytes = new byte[length];
                payload.get(bytes);
                votedFor = new String(bytes, StandardCharsets.UTF_8);
            }
            return new HardState(term, votedFor);
        } catch (RuntimeException e) {
            throw new CorruptStorageException("corrupt " + file.path() + ": checksum matches but the content does"
                    + " not decode (" + e + "); the node refuses to start");
        }
    }
}
