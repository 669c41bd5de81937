package io.flotilla.id.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * {@link TimestampStore} keeping one small text file per worker slot, {@code <dir>/<datacenter>-<worker>.state}.
 * Writes are atomic ({@link AtomicFiles}): a crash leaves either the old mark or the new one, never a torn file.
 */
public final class FileTimestampStore implements TimestampStore {

    private final Path directory;

    /**
     * @param directory directory holding the state files; created when missing
     */
    public FileTimestampStore(Path directory) {
        this.directory = directory;
    }

    /**
     * @param workerId the worker slot
     * @return path of the slot's state file
     */
    public Path file(WorkerId workerId) {
        return directory.resolve(workerId.datacenterId() + "-" + workerId.workerId() + ".state");
    }

    @Override
    public OptionalLong load(WorkerId workerId) {
        Path file = file(workerId);
        String content;
        try {
            content = Files.readString(file, StandardCharsets.US_ASCII).strip();
        }
        catch (NoSuchFileException ex) {
            return OptionalLong.empty();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read snowflake state file " + file, ex);
        }
        try {
            return OptionalLong.of(Long.parseLong(content));
        }
        catch (NumberFormatException ex) {
            throw new IllegalStateException("Snowflake state file " + file + " is corrupt (expected a millisecond "
                    + "timestamp, found '" + content + "'); restore it or delete it only if no ids of worker "
                    + workerId + " were issued after the clock's current time", ex);
        }
    }

    @Override
    public void store(WorkerId workerId, long epochMillis) {
        Path file = file(workerId);
        try {
            AtomicFiles.replace(file, epochMillis + "\n");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write snowflake state file " + file, ex);
        }
    }
}
