package io.flotilla.raft.storage.file;

import io.flotilla.raft.log.EntryType;
import io.flotilla.raft.log.LogEntry;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random runs of append / truncate / compact / reset / sync / reopen against a plain list. A failure
 * names its seed; jqwik prints the seed that replays the whole property
 * ({@code @Property(seed = "...")}).
 */
class SegmentedLogStoragePropertyTests {

    private static final StorageOptions OPTIONS = StorageOptions.defaults().withSegmentSize(600).unsafeWithoutFsyncForTests();

    @Property(tries = 50)
    void behavesLikeAnInMemoryLog(@ForAll long seed) throws IOException {
        Path dir = Files.createTempDirectory("segmented-log-property");
        try {
            run(seed, dir);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void run(long seed, Path dir) {
        Random random = new Random(seed);
        Model model = new Model();
        SegmentedLogStorage log = SegmentedLogStorage.open(dir, OPTIONS);
        try {
            for (int step = 0; step < 120; step++) {
                String description = "seed " + seed + ", step " + step;
                int op = random.nextInt(10);
                if (op <= 3) {
                    if (random.nextInt(4) == 0) {
                        model.term++;
                    }
                    List<LogEntry> batch = new ArrayList<>();
                    int count = 1 + random.nextInt(20);
                    for (int i = 0; i < count; i++) {
                        byte[] data = new byte[random.nextInt(random.nextInt(10) == 0 ? 2000 : 200)];
                        random.nextBytes(data);
                        batch.add(new LogEntry(model.lastIndex() + 1 + i, model.term,
                                EntryType.fromCode(random.nextInt(3)), data));
                    }
                    log.append(batch);
                    model.entries.addAll(batch);
                } else if (op == 4 && !model.entries.isEmpty()) {
                    long from = model.snapshotIndex + 1 + random.nextInt(model.entries.size());
                    log.truncateSuffix(from);
                    model.entries.subList((int) (from - model.snapshotIndex - 1), model.entries.size()).clear();
                } else if (op == 5 && !model.entries.isEmpty()) {
                    long upTo = model.snapshotIndex + 1 + random.nextInt(model.entries.size());
                    long term = model.term(upTo);
                    log.compactPrefix(upTo, term);
                    model.entries.subList(0, (int) (upTo - model.snapshotIndex)).clear();
                    model.snapshotIndex = upTo;
                    model.snapshotTerm = term;
                } else if (op == 6) {
                    log.sync();
                } else if (op == 7 || op == 4 || op == 5) {
                    log.sync();
                    log.close();
                    log = SegmentedLogStorage.open(dir, OPTIONS);
                } else if (op == 8) {
                    model.term++;
                    long index = model.lastIndex() + random.nextInt(30);
                    log.reset(index, model.term);
                    model.entries.clear();
                    model.snapshotIndex = index;
                    model.snapshotTerm = model.term;
                } else {
                    assertThat(LogFixtures.readAll(log)).as(description).isEqualTo(model.entries);
                }
                assertThat(log.snapshotIndex()).as(description).isEqualTo(model.snapshotIndex);
                assertThat(log.snapshotTerm()).as(description).isEqualTo(model.snapshotTerm);
                assertThat(log.firstIndex()).as(description).isEqualTo(model.snapshotIndex + 1);
                assertThat(log.lastIndex()).as(description).isEqualTo(model.lastIndex());
                assertThat(log.term(log.lastIndex())).as(description).isEqualTo(model.term(model.lastIndex()));
            }
            log.sync();
            log.close();
            log = SegmentedLogStorage.open(dir, OPTIONS);
            assertThat(LogFixtures.readAll(log)).as("seed " + seed + ", final reopen").isEqualTo(model.entries);
            for (long index = model.snapshotIndex; index <= model.lastIndex(); index++) {
                assertThat(log.term(index)).as("seed " + seed + ", term of " + index).isEqualTo(model.term(index));
            }
        } finally {
            log.close();
        }
    }

    private static final class Model {
        final List<LogEntry> entries = new ArrayList<>();
        long snapshotIndex;
        long snapshotTerm;
        long term = 1;

        long lastIndex() {
            return snapshotIndex + entries.size();
        }

        long term(long index) {
            return index == snapshotIndex ? snapshotTerm : entries.get((int) (index - snapshotIndex - 1)).term();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
