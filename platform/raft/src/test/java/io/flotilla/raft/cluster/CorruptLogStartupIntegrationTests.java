package io.flotilla.raft.cluster;

import io.flotilla.raft.CommandResult;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.ReadConsistency;
import io.flotilla.raft.storage.file.CorruptLogException;
import io.flotilla.raft.storage.file.StorageOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A whole node (file storage with fsync, Netty, its own thread) restarting on a damaged log: a torn tail,
 * which a crash mid-write leaves, is cut off and everything before it comes back; damage a crash cannot
 * explain stops the node with a {@link CorruptLogException} that says where to look.
 *
 * <p>The segment layout these tests read and damage (see {@code SegmentFormat}): a 16-byte header, then
 * records of {@code length (int) | crc32c (int) | index (long) | term (long) | type (byte) | data}, where
 * {@code length} counts the bytes after the CRC.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CorruptLogStartupIntegrationTests {

    private static final int HEADER_SIZE = 16;
    private static final int RECORD_PREFIX = 8;
    /** Small segments, so a few dozen entries span several files. */
    private static final StorageOptions SMALL_SEGMENTS = StorageOptions.defaults().withSegmentSize(1024);
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dataRoot;

    private LoopbackCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void tornTailIsCutAndEveryEntryBeforeItComesBack() throws Exception {
        Map<Long, String> committed = commitPutsAndStop(60);
        List<Path> segments = segments();
        Path last = segments.getLast();
        List<Record> records = records(last);
        Record torn = records.getLast();
        assertThat(committed).as("the last record holds one of the puts").containsKey(torn.index());
        truncate(last, torn.offset() + torn.size() / 2);

        cluster.start("n1");
        cluster.awaitLeader(BOUND);
        cluster.awaitAllApplied(BOUND);
        RaftNode node = cluster.node("n1").orElseThrow();
        for (Map.Entry<Long, String> put : committed.entrySet()) {
            String value = read(node, put.getValue());
            if (put.getKey() < torn.index()) {
                assertThat(value).as("put at index %d, before the torn record", put.getKey())
                        .isEqualTo(valueOf(put.getValue()));
            } else {
                assertThat(value).as("put at index %d, the torn record itself", put.getKey()).isEmpty();
            }
        }
        cluster.stop("n1");
        Record replacement = records(last).stream().filter(record -> record.offset() == torn.offset())
                .findFirst().orElseThrow();
        assertThat(replacement.index()).as("the new leader's first entry took the torn record's place")
                .isEqualTo(torn.index());
        assertThat(replacement.term()).isGreaterThan(torn.term());
    }

    @Test
    void flippedByteInAnEarlierSegmentStopsTheNodeNamingFileAndOffset() throws Exception {
        commitPutsAndStop(60);
        List<Path> segments = segments();
        assertThat(segments).as("the log spans several segments").hasSizeGreaterThanOrEqualTo(3);
        Path first = segments.getFirst();
        Record damaged = records(first).get(1);
        flipByte(first, damaged.offset() + RECORD_PREFIX + 10);

        assertCorruptAt(first, damaged.offset());
    }

    @Test
    void flippedByteInAnEarlyRecordOfTheLastSegmentIsNotMistakenForATornTail() throws Exception {
        commitPutsAndStop(60);
        Path last = segments().getLast();
        List<Record> records = records(last);
        assertThat(records).as("valid records follow the damaged one").hasSizeGreaterThanOrEqualTo(3);
        Record damaged = records.getFirst();
        flipByte(last, damaged.offset() + damaged.size() - 1);

        assertCorruptAt(last, damaged.offset());
    }

    private void assertCorruptAt(Path file, long offset) {
        for (int attempt = 1; attempt <= 2; attempt++) {
            // The second attempt shows a failed start leaves the directory unlocked: it fails the same way.
            assertThatThrownBy(() -> cluster.start("n1"))
                    .as("start attempt %d", attempt)
                    .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                        assertThat(e.file()).isEqualTo(file);
                        assertThat(e.offset()).isEqualTo(offset);
                    })
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("offset " + offset);
            assertThat(cluster.node("n1")).isEmpty();
        }
    }

    /** Runs a one-node cluster, commits {@code count} puts of distinct keys and stops it; index -> key. */
    private Map<Long, String> commitPutsAndStop(int count) throws Exception {
        cluster = LoopbackCluster.create(dataRoot, 1, LoopbackCluster.OPTIONS, SMALL_SEGMENTS);
        cluster.start("n1");
        RaftNode node = cluster.awaitLeader(BOUND);
        Map<Long, String> committed = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String key = "key-" + i;
            CommandResult result = node.submit(ClusterKvStateMachine.put(key, valueOf(key))).get(10, TimeUnit.SECONDS);
            committed.put(result.index(), key);
        }
        cluster.stop("n1");
        return committed;
    }

    private static String valueOf(String key) {
        return "value-of-" + key;
    }

    private static String read(RaftNode node, String key) throws Exception {
        byte[] value = node.read(ClusterKvStateMachine.get(key), ReadConsistency.LINEARIZABLE, 0)
                .get(10, TimeUnit.SECONDS).result();
        return new String(value, StandardCharsets.UTF_8);
    }

    private record Record(long offset, int size, long index, long term) {
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(cluster.dataDir("n1").resolve("log"))) {
            return files.filter(path -> path.getFileName().toString().matches("\\d{20}\\.log")).sorted().toList();
        }
    }

    private static List<Record> records(Path segment) throws IOException {
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Record> records = new ArrayList<>();
        int position = HEADER_SIZE;
        while (position < file.capacity()) {
            int size = RECORD_PREFIX + file.getInt(position);
            records.add(new Record(position, size, file.getLong(position + RECORD_PREFIX),
                    file.getLong(position + RECORD_PREFIX + 8)));
            position += size;
        }
        return records;
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
            channel.write(one, offset);
        }
    }
}
