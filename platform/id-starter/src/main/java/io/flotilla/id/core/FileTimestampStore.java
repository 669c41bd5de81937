package io.flotilla.id.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * {@link TimestampStore} keeping one small text file per worker slot, {@code <dir>/<datacenter>-<worker>.state}.
 * Writes are atomic: a temporary file is written and fsynced, renamed over the old one, and the directory is
 * fsynced, so a crash leaves either the old mark or the new one, never a torn file.
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
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap((epochMillis + "\n").getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            move(temporary, file);
            syncDirectory();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write snowflake state file " + file, ex);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (AtomicMoveNotSupportedException ex) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void syncDirectory() {
        // Makes the rename durable on Linux; some platforms cannot open a directory, where the rename is all we have.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
        catch (IOException | UnsupportedOperationException ex) {
            // best effort: see above
        }
    }
}
