package io.flotilla.raft.storage.file;

/**
 * Durable state failed its checks in a way that a crash cannot explain. The node must not start on it:
 * carrying on could forget a vote or a committed entry, which breaks Raft's safety.
 */
public class CorruptStorageException extends RuntimeException {

    public CorruptStorageException(String message) {
        super(message);
    }
}
