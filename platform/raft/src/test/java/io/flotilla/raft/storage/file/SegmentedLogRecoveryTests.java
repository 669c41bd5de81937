package io.flotilla.raft.storage.file;

import io.flotilla.raft.log.LogEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.flotilla.raft.storage.file.LogFixtures.entries;
import static io.flotilla.raft.storage.file.LogFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Damages segment files the way a crash (or a disk) would and checks what opening the log makes of it.
 * With 40-byte entries every record is 65 bytes, so a 1 KiB segment holds 15: the log 1..40 lies in
 * segments starting at 1, 16 and 31.
 */
class SegmentedLogRecoveryTests {

    private static final StorageOptions OPTIONS = StorageOptions.defaults().withSegmentSize(1024);
    private static final int DATA = 40;
    private static final int RECORD = LogFixtures.recordSize(DATA);

    @TempDir
    Path dir;

    private Path first;
    private Path second;
    private Path last;

    @BeforeEach
    void writeFortyEntries() {
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, OPTIONS)) {
            log.append(entries(1, 40, 1, DATA));
            log.sync();
            assertThat(log.segmentFiles()).hasSize(3);
        }
        first = dir.resolve(SegmentFormat.fileName(1));
        second = dir.resolve(SegmentFormat.fileName(16));
        last = dir.resolve(SegmentFormat.fileName(31));
    }

    @Test
    void recordCutShortAtTheEndIsTruncatedAway() throws IOException {
        long size = Files.size(last);
        truncate(last, size - 30);
        SegmentedLogStorage.open(dir, OPTIONS).close();
        assertThat(Files.size(last)).isEqualTo(size - RECORD);
        assertRecoversTo(39);
    }

    @Test
    void recordPrefixCutShortAtTheEndIsTruncatedAway() throws IOException {
        truncate(last, Files.size(last) - RECORD + 5);
        assertRecoversTo(39);
    }

    @Test
    void randomGarbageAfterTheLastRecordIsTruncatedAway() throws IOException {
        byte[] garbage = new byte[700];
        new Random(42).nextBytes(garbage);
        long size = Files.size(last);
        Files.write(last, garbage, StandardOpenOption.APPEND);
        SegmentedLogStorage.open(dir, OPTIONS).close();
        assertThat(Files.size(last)).isEqualTo(size);
        assertRecoversTo(40);
    }

    @Test
    void zerosAfterTheLastRecordAreTruncatedAway() throws IOException {
        Files.write(last, new byte[4096], StandardOpenOption.APPEND);
        assertRecoversTo(40);
    }

    @Test
    void damagedFinalRecordIsIndistinguishableFromATornOneAndIsCut() throws IOException {
        flipByte(last, Files.size(last) - 3);
        assertRecoversTo(39);
    }

    @Test
    void tornHeaderOfANewSegmentIsDeleted() throws IOException {
        Path torn = dir.resolve(SegmentFormat.fileName(41));
        Files.write(torn, new byte[] {0x46, 0x52, 0x4C});
        assertRecoversTo(40);
        assertThat(torn).doesNotExist();
    }

    @Test
    void flippedByteInsideAnEarlierRecordStopsTheNode() throws IOException {
        long offset = SegmentFormat.HEADER_SIZE + 2L * RECORD;
        flipByte(last, offset + 30);
        assertThatThrownBy(() -> SegmentedLogStorage.open(dir, OPTIONS))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(last);
                    assertThat(e.offset()).isEqualTo(offset);
                })
                .hasMessageContaining(last.toString())
                .hasMessageContaining("byte offset " + offset)
                .hasMessageContaining("refuses to start");
    }

    @Test
    void lengthRunningPastTheEndWithValidRecordsAfterItStopsTheNode() throws IOException {
        long offset = SegmentFormat.HEADER_SIZE + 4L * RECORD;
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).putInt(0, 1 << 20), offset);
        }
        assertThatThrownBy(() -> SegmentedLogStorage.open(dir, OPTIONS))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.offset()).isEqualTo(offset))
                .hasMessageContaining("a valid record follows");
    }

    @Test
    void damageInASegmentThatIsNotTheLastStopsTheNode() throws IOException {
        long offset = SegmentFormat.HEADER_SIZE + 14L * RECORD;
        flipByte(first, offset + RECORD - 1);
        assertThatThrownBy(() -> SegmentedLogStorage.open(dir, OPTIONS))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(first);
                    assertThat(e.offset()).isEqualTo(offset);
                })
                .hasMessageContaining(first.getFileName().toString());
    }

    @Test
    void segmentThatIsNotTheLastCutShortStopsTheNode() throws IOException {
        truncate(second, Files.size(second) - 10);
        assertThatThrownBy(() -> SegmentedLogStorage.open(dir, OPTIONS))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.file()).isEqualTo(second));
    }

    @Test
    void segmentThatIsNotTheLastMissingItsLastRecordLeavesAGapThatStopsTheNode() throws IOException {
        truncate(second, Files.size(second) - RECORD);
        assertThatThrownBy(() -> SegmentedLogStorage.open(dir, OPTIONS))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.file()).isEqualTo(last))
                .hasMessageContaining("gap");
    }

    @Test
    void missingMiddleSegmentStopsTheNode() throws IOException {
        Files.delete(second);
        assertThatThrownBy(() -> SegmentedLogStorage.open(dir, OPTIONS))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.file()).isEqualTo(last));
    }

    @Test
    void headerThatContradictsTheFileNameStopsTheNode() throws IOException {
        try (FileChannel channel = FileChannel.open(second, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).putLong(0, 17), 8);
        }
        assertThatThrownBy(() -> SegmentedLogStorage.open(dir, OPTIONS))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(second);
                    assertThat(e.offset()).isEqualTo(8);
                });
    }

    @Test
    void corruptionFoundByAReadNamesFileAndOffset() throws IOException {
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, OPTIONS)) {
            long offset = SegmentFormat.HEADER_SIZE + 3L * RECORD;
            flipByte(second, offset + 40);
            assertThatThrownBy(() -> log.entry(19))
                    .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                        assertThat(e.file()).isEqualTo(second);
                        assertThat(e.offset()).isEqualTo(offset);
                    });
            assertThat(log.entry(18)).isEqualTo(LogFixtures.entry(18, 1, DATA));
        }
    }

    private void assertRecoversTo(long lastIndex) {
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, OPTIONS)) {
            assertThat(log.lastIndex()).isEqualTo(lastIndex);
            assertThat(readAll(log)).isEqualTo(entries(1, lastIndex, 1, DATA));
            log.append(entries(lastIndex + 1, 45, 2, DATA));
            log.sync();
        }
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, OPTIONS)) {
            List<LogEntry> expected = new ArrayList<>(entries(1, lastIndex, 1, DATA));
            expected.addAll(entries(lastIndex + 1, 45, 2, DATA));
            assertThat(readAll(log)).isEqualTo(expected);
        }
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
            one.put(0, (byte) (one.get(0) ^ 0x5A));
            one.rewind();
            channel.write(one, offset);
        }
    }
}
