package io.flotilla.id.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

import io.flotilla.id.core.AtomicFiles;

/**
 * {@link HighWaterMarkStore} keeping one small text file per counter, {@code <dir>/<name>.mark}, replaced
 * atomically ({@link AtomicFiles}).
 */
public final class FileHighWaterMarkStore implements HighWaterMarkStore {

    private final Path directory;

    /**
     * @param directory directory holding the mark files; created when missing
     */
    public FileHighWaterMarkStore(Path directory) {
        this.directory = directory;
    }

    /**
     * @param name the counter
     * @return path of its mark file
     */
    public Path file(String name) {
        return directory.resolve(name + ".mark");
    }

    @Override
    public OptionalLong load(String name) {
        Path file = file(name);
        String content;
        try {
            content = Files.readString(file, StandardCharsets.US_ASCII).strip();
        }
        catch (NoSuchFileException ex) {
            return OptionalLong.empty();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read Redis id high-water mark " + file, ex);
        }
        try {
            return OptionalLong.of(Long.parseLong(content));
        }
        catch (NumberFormatException ex) {
            throw new IllegalStateException("Redis id high-water mark " + file + " is corrupt (expected an id, found '"
                    + content + "'); restore it, or write into it an id above every id of '" + name
                    + "' ever issued", ex);
        }
    }

    @Override
    public void store(String name, long mark) {
        Path file = file(name);
        try {
            AtomicFiles.replace(file, mark + "\n");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write Redis id high-water mark " + file, ex);
        }
    }
}
