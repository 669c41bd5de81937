package io.flotilla.raft.storage.file;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.storage.Snapshot;
import io.flotilla.raft.storage.SnapshotMeta;
import io.flotilla.raft.storage.SnapshotStore;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The latest snapshot in one file, replaced atomically (see {@link DurableFile}), so only the latest is
 * kept and a half-written one is never read. Payload: last included index (long) | last included term
 * (long) | config length (int) | encoded {@link ClusterConfig} | data length (int) | data.
 */
public final class FileSnapshotStore implements SnapshotStore {

    private static final int MAGIC = 0x46525350;

    private final DurableFile file;
    private Snapshot latest;

    public FileSnapshotStore(Path path, boolean fsync) {
        this.file = new DurableFile(path, MAGIC, fsync);
        file.deleteLeftoverTemp();
        this.latest = file.read().map(this::decode).orElse(null);
    }

    @Override
    public Optional<Snapshot> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    public void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        byte[] config = snapshot.meta().config().encode();
        ByteBuffer payload = ByteBuffer.allocate(24 + config.length + snapshot.data().length);
        payload.putLong(snapshot.meta().lastIncludedIndex())
                .putLong(snapshot.meta().lastIncludedTerm())
                .putInt(config.length).put(config)
                .putInt(snapshot.data().length).put(snapshot.data());
        file.write(payload.flip());
        latest = snapshot;
    }

    private Snapshot decode(ByteBuffer payload) {
        try {
            long index = payload.getLong();
            long term = payload.getLong();
            byte[] config = new byte[payload.getInt()];
            payload.get(config);
            byte[] data = new byte[payload.getInt()];
            payload.get(data);
            return new Snapshot(new SnapshotMeta(index, term, ClusterConfig.decode(config)), data);
        } catch (RuntimeException e) {
            throw new CorruptStorageException("corrupt " + file.path() + ": checksum matches but the content does"
                    + " not decode (" + e + "); the node refuses to start");
        }
    }
}
