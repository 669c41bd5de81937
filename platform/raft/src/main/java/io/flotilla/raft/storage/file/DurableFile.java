package io.flotilla.raft.storage.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A small file replaced atomically: the new content goes to {@code <name>.tmp}, is forced to disk, renamed
 * over the old file, and the directory is forced so the rename itself survives a crash. Until the rename
 * the previous copy stays intact, so a crash at any point leaves either the old or the new content.
 *
 * <p>Layout: magic (int) | format version (byte) | payload | crc32c of everything before it (int).
 */
final class DurableFile {

    private static final byte VERSION = 1;
    private static final int OVERHEAD = 4 + 1 + 4;

    private final Path path;
    private final Path tempPath;
    private final int magic;
    private final boolean fsync;

    DurableFile(Path path, int magic, boolean fsync) {
        this.path = path;
        this.tempPath = path.resolveSibling(path.getFileName() + ".tmp");
        this.magic = magic;
        this.fsync = fsync;
    }

    Path path() {
        return path;
    }

    /** The payload last written, or empty when the file was never written. A leftover temp file is ignored. */
    Optional<ByteBuffer> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length < OVERHEAD) {
            throw corrupt("file is " + bytes.length + " bytes long, shorter than its fixed fields");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != buffer.getInt(bytes.length - 4)) {
            throw corrupt("checksum mismatch");
        }
        if (buffer.getInt(0) != magic) {
            throw corrupt("wrong magic number 0x" + Integer.toHexString(buffer.getInt(0)));
        }
        if (buffer.get(4) != VERSION) {
            throw corrupt("unsupported format version " + buffer.get(4));
        }
        return Optional.of(buffer.slice(5, bytes.length - OVERHEAD));
    }

    void write(ByteBuffer payload) {
        ByteBuffer content = ByteBuffer.allocate(payload.remaining() + OVERHEAD);
        content.putInt(magic).put(VERSION).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(content.array(), 0, content.position());
        content.putInt((int) crc.getValue()).flip();
        try (FileChannel channel = FileChannel.open(tempPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                channel.write(content);
            }
            if (fsync) {
                channel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tempPath, e);
        }
        try {
            Files.move(tempPath, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("file system of " + path + " cannot rename atomically", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + tempPath + " to " + path, e);
        }
        if (fsync) {
            forceDirectory(path.getParent());
        }
    }

    /** Removes a temp file a crash left behind; its content was never made current. */
    void deleteLeftoverTemp() {
        try {
            Files.deleteIfExists(tempPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + tempPath, e);
        }
    }

    private CorruptStorageException corrupt(String problem) {
        return new CorruptStorageException("corrupt " + path + ": " + problem
                + "; it was written atomically, so this is damage rather than a crash, and the node refuses to start");
    }

    static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync directory " + directory, e);
        }
    }
}
