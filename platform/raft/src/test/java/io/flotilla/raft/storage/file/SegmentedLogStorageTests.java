package io.flotilla.raft.storage.file;

import io.flotilla.raft.log.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.flotilla.raft.storage.file.LogFixtures.entries;
import static io.flotilla.raft.storage.file.LogFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentedLogStorageTests {

    private static final StorageOptions SMALL_SEGMENTS = StorageOptions.defaults().withSegmentSize(1024);

    @TempDir
    Path dir;

    @Test
    void newLogIsEmpty() {
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isZero();
            assertThat(log.term(0)).isZero();
            assertThat(log.entries(1, 10, Long.MAX_VALUE)).isEmpty();
            assertThatThrownBy(() -> log.entry(1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(log.segmentFiles()).isEmpty();
        }
    }

    @Test
    void entriesSurviveReopenAcrossManySegments() {
        List<LogEntry> written = new ArrayList<>();
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            for (int batch = 0; batch < 20; batch++) {
                List<LogEntry> entries = entries(batch * 25L + 1, batch * 25L + 25, batch / 4 + 1, batch * 7);
                log.append(entries);
                written.addAll(entries);
                log.sync();
            }
            assertThat(readAll(log)).isEqualTo(written);
            assertThat(log.segmentFiles()).hasSizeGreaterThan(20);
        }
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isEqualTo(500);
            assertThat(readAll(log)).isEqualTo(written);
            for (LogEntry entry : written) {
                assertThat(log.entry(entry.index())).isEqualTo(entry);
                assertThat(log.term(entry.index())).isEqualTo(entry.term());
            }
            assertThat(log.segmentFiles()).allSatisfy(file ->
                    assertThat(file.getFileName().toString()).matches("\\d{20}\\.log"));
            assertThat(log.segmentFiles().getFirst().getFileName()).hasToString("00000000000000000001.log");
        }
    }

    @Test
    void segmentsRollAtTheConfiguredSize() {
        int dataSize = 100;
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            log.append(entries(1, 30, 1, dataSize));
            log.sync();
            int perSegment = (1024 - SegmentFormat.HEADER_SIZE) / LogFixtures.recordSize(dataSize);
            assertThat(log.segmentFiles()).hasSize((30 + perSegment - 1) / perSegment);
            for (Path file : log.segmentFiles()) {
                assertThat(file).satisfies(f -> assertThat(Files.size(f)).isLessThanOrEqualTo(1024));
            }
        }
    }

    @Test
    void aRecordLargerThanASegmentGetsASegmentOfItsOwn() {
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            log.append(entries(1, 2, 1, 10));
            log.append(entries(3, 3, 1, 5000));
            log.append(entries(4, 5, 1, 10));
            log.sync();
            assertThat(log.segmentFiles()).extracting(f -> f.getFileName().toString())
                    .containsExactly("00000000000000000001.log", "00000000000000000003.log", "00000000000000000004.log");
            assertThat(log.entry(3).data()).hasSize(5000);
        }
    }

    @Test
    void oneSyncMakesAWholeBatchDurable() {
        List<Long> syncNanos = new ArrayList<>();
        StorageOptions options = SMALL_SEGMENTS.withSyncListener(syncNanos::add);
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, options)) {
            for (int batch = 0; batch < 10; batch++) {
                for (int i = 0; i < 100; i++) {
                    long index = batch * 100L + i + 1;
                    log.append(entries(index, index, 1, 16));
                }
                log.sync();
            }
            log.sync();
            assertThat(log.lastIndex()).isEqualTo(1000);
        }
        assertThat(syncNanos).hasSize(10).allSatisfy(nanos -> assertThat(nanos).isPositive());
    }

    @Test
    void entriesStopAtMaxBytesButReturnAtLeastOne() {
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            log.append(entries(1, 40, 1, 76));
            // sizeInBytes() of each entry is 76 + 24 = 100
            assertThat(log.entries(1, 41, 1)).extracting(LogEntry::index).containsExactly(1L);
            assertThat(log.entries(5, 41, 350)).extracting(LogEntry::index).containsExactly(5L, 6L, 7L);
            assertThat(log.entries(1, 41, 2000)).hasSize(20);
            assertThat(log.entries(10, 15, Long.MAX_VALUE)).extracting(LogEntry::index)
                    .containsExactly(10L, 11L, 12L, 13L, 14L);
            assertThat(log.entries(38, 100, Long.MAX_VALUE)).hasSize(3);
        }
    }

    @Test
    void appendMustContinueTheLog() {
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            log.append(entries(1, 3, 1, 8));
            assertThatThrownBy(() -> log.append(entries(5, 6, 1, 8))).isInstanceOf(IllegalArgumentException.class);
            assertThat(log.lastIndex()).isEqualTo(3);
        }
    }

    @Test
    void truncateSuffixAcrossSegmentsThenReopen() {
        List<LogEntry> expected;
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            log.append(entries(1, 100, 1, 50));
            log.sync();
            int segmentsBefore = log.segmentFiles().size();
            log.truncateSuffix(37);
            assertThat(log.lastIndex()).isEqualTo(36);
            assertThat(log.segmentFiles().size()).isLessThan(segmentsBefore);
            assertThatThrownBy(() -> log.entry(37)).isInstanceOf(IndexOutOfBoundsException.class);
            log.append(entries(37, 60, 2, 30));
            log.sync();
            expected = new ArrayList<>(entries(1, 36, 1, 50));
            expected.addAll(entries(37, 60, 2, 30));
            assertThat(readAll(log)).isEqualTo(expected);
        }
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            assertThat(readAll(log)).isEqualTo(expected);
            assertThat(log.term(37)).isEqualTo(2);
            log.truncateSuffix(1);
            assertThat(log.lastIndex()).isZero();
            assertThat(log.segmentFiles()).isEmpty();
            log.append(entries(1, 2, 3, 8));
            log.sync();
        }
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            assertThat(readAll(log)).isEqualTo(entries(1, 2, 3, 8));
        }
    }

    @Test
    void truncateAtASegmentBoundaryDeletesThatSegment() {
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            log.append(entries(1, 2, 1, 10));
            log.append(entries(3, 3, 1, 5000));
            log.sync();
            log.truncateSuffix(3);
            assertThat(log.segmentFiles()).extracting(f -> f.getFileName().toString())
                    .containsExactly("00000000000000000001.log");
            assertThat(dir.resolve("00000000000000000003.log")).doesNotExist();
            log.append(entries(3, 3, 2, 10));
            log.sync();
        }
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            assertThat(log.lastIndex()).isEqualTo(3);
            assertThat(log.term(3)).isEqualTo(2);
        }
    }

    @Test
    void compactPrefixDeletesWholeSegmentsAndRemembersTheSnapshot() {
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            log.append(entries(1, 50, 1, 50));
            log.append(entries(51, 100, 2, 50));
            log.sync();
            Path firstSegment = log.segmentFiles().getFirst();
            log.compactPrefix(60, 2);
            assertThat(firstSegment).doesNotExist();
            assertThat(log.firstIndex()).isEqualTo(61);
            assertThat(log.snapshotIndex()).isEqualTo(60);
            assertThat(log.term(60)).isEqualTo(2);
            assertThatThrownBy(() -> log.term(59)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> log.entry(60)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> log.truncateSuffix(60)).isInstanceOf(IllegalArgumentException.class);
            assertThat(log.segmentFiles().getFirst().getFileName().toString())
                    .satisfies(name -> assertThat(SegmentFormat.parseFileName(name)).isLessThanOrEqualTo(61));
        }
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            assertThat(log.snapshotIndex()).isEqualTo(60);
            assertThat(log.snapshotTerm()).isEqualTo(2);
            assertThat(log.firstIndex()).isEqualTo(61);
            assertThat(readAll(log)).isEqualTo(entries(61, 100, 2, 50));
        }
    }

    @Test
    void compactPrefixRefusesATermThatContradictsTheLog() {
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            log.append(entries(1, 10, 3, 8));
            assertThatThrownBy(() -> log.compactPrefix(5, 2)).isInstanceOf(IllegalArgumentException.class);
            assertThat(log.snapshotIndex()).isZero();
        }
    }

    @Test
    void compactingTheWholeLogLeavesItEmptyAfterTheSnapshot() {
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            log.append(entries(1, 30, 1, 50));
            log.sync();
            log.compactPrefix(30, 1);
            assertThat(log.segmentFiles()).isEmpty();
            assertThat(log.lastIndex()).isEqualTo(30);
            log.append(entries(31, 32, 2, 8));
            log.sync();
        }
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            assertThat(log.firstIndex()).isEqualTo(31);
            assertThat(readAll(log)).isEqualTo(entries(31, 32, 2, 8));
        }
    }

    @Test
    void resetDiscardsEverything() {
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            log.append(entries(1, 80, 1, 50));
            log.sync();
            log.reset(200, 7);
            assertThat(log.segmentFiles()).isEmpty();
            assertThat(log.firstIndex()).isEqualTo(201);
            assertThat(log.lastIndex()).isEqualTo(200);
            assertThat(log.term(200)).isEqualTo(7);
            log.append(entries(201, 205, 7, 8));
            log.sync();
        }
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            assertThat(log.snapshotIndex()).isEqualTo(200);
            assertThat(readAll(log)).isEqualTo(entries(201, 205, 7, 8));
            assertThat(log.segmentFiles()).hasSize(1);
        }
    }

    @Test
    void segmentsLeftBehindByAnInterruptedCompactionAreDroppedOnOpen() throws Exception {
        Path kept = dir.resolve("kept");
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            log.append(entries(1, 100, 1, 50));
            log.sync();
            Files.createDirectories(kept);
            for (Path file : log.segmentFiles()) {
                Files.copy(file, kept.resolve(file.getFileName()));
            }
            log.compactPrefix(70, 1);
        }
        // The meta file is durable but the deletions were lost: every old segment is back.
        try (var files = Files.list(kept)) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (SegmentedLogStorage log = SegmentedLogStorage.open(dir, SMALL_SEGMENTS)) {
            assertThat(log.firstIndex()).isEqualTo(71);
            assertThat(readAll(log)).isEqualTo(entries(71, 100, 1, 50));
            assertThat(log.segmentFiles().getFirst().getFileName().toString())
                    .satisfies(name -> assertThat(SegmentFormat.parseFileName(name)).isLessThanOrEqualTo(71));
        }
    }
}
