package io.flotilla.raft.storage.file;

import io.flotilla.raft.storage.RaftStorage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A node's durable state in one data directory:
 *
 * <pre>
 * lock          held (OS file lock) while open, so two processes never share the directory
 * hard-state    current term and vote ({@link FileHardStateStore})
 * snapshot      latest snapshot ({@link FileSnapshotStore})
 * log/          segments and meta ({@link SegmentedLogStorage})
 * </pre>
 */
public final class FileRaftStorage implements RaftStorage {

    private final FileChannel lockChannel;
    private final SegmentedLogStorage log;
    private final FileHardStateStore hardState;
    private final FileSnapshotStore snapshots;

    private FileRaftStorage(FileChannel lockChannel, SegmentedLogStorage log, FileHardStateStore hardState,
                            FileSnapshotStore snapshots) {
        this.lockChannel = lockChannel;
        this.log = log;
        this.hardState = hardState;
        this.snapshots = snapshots;
    }

    /** Opens {@code dataDir} with {@link StorageOptions#defaults()}: 64 MiB segments, fsync on. */
    public static FileRaftStorage open(Path dataDir) {
        return open(dataDir, StorageOptions.defaults());
    }

    /**
     * Opens (creating when absent) the data directory, recovering the log from a crash.
     *
     * @throws CorruptStorageException when the state is damaged beyond what a crash explains
     * @throws IllegalStateException   when another process (or storage) holds the directory
     */
    public static FileRaftStorage open(Path dataDir, StorageOptions options) {
        FileChannel lockChannel = lock(dataDir);
        try {
            FileHardStateStore hardState = new FileHardStateStore(dataDir.resolve("hard-state"), options.fsync());
            FileSnapshotStore snapshots = new FileSnapshotStore(dataDir.resolve("snapshot"), options.fsync());
            SegmentedLogStorage log = SegmentedLogStorage.open(dataDir.resolve("log"), options);
            return new FileRaftStorage(lockChannel, log, hardState, snapshots);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel, e);
            throw e;
        }
    }

    @Override
    public SegmentedLogStorage log() {
        return log;
    }

    @Override
    public FileHardStateStore hardState() {
        return hardState;
    }

    @Override
    public FileSnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    public void close() {
        try {
            log.close();
        } finally {
            try {
                lockChannel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release the data directory lock", e);
            }
        }
    }

    private static FileChannel lock(Path dataDir) {
        Path lockFile = dataDir.resolve("lock");
        FileChannel channel;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + lockFile, e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("Raft data directory " + dataDir + " is in use by another process");
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel, e);
            throw new IllegalStateException("Raft data directory " + dataDir + " is already open in this process", e);
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        } catch (IllegalStateException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel, Exception cause) {
        try {
            channel.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
