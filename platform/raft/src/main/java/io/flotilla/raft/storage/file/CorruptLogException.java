package io.flotilla.raft.storage.file;

import java.nio.file.Path;

/**
 * The log is damaged somewhere a torn write cannot be (a bad record followed by valid ones, a bad record
 * in a segment that is not the last, a gap in the indexes). Such a record may be committed, so the node
 * refuses to start instead of dropping it.
 */
public class CorruptLogException extends CorruptStorageException {

    private final Path file;
    private final long offset;

    public CorruptLogException(Path file, long offset, String problem) {
        super("corrupt Raft log " + file + " at byte offset " + offset + ": " + problem
                + "; the data may hold committed entries, so the node refuses to start"
                + " (restore this node's data directory from a backup or rebuild it from its peers)");
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
