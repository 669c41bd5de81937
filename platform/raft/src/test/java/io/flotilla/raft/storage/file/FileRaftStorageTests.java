package io.flotilla.raft.storage.file;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.storage.HardState;
import io.flotilla.raft.storage.Snapshot;
import io.flotilla.raft.storage.SnapshotMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.flotilla.raft.storage.file.LogFixtures.entries;
import static io.flotilla.raft.storage.file.LogFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileRaftStorageTests {

    @TempDir
    Path dataDir;

    @Test
    void everythingSurvivesReopen() {
        ClusterConfig config = new ClusterConfig(List.of(new ClusterConfig.Member("n1", "127.0.0.1:7001")));
        try (FileRaftStorage storage = FileRaftStorage.open(dataDir)) {
            storage.hardState().save(new HardState(4, "n1"));
            storage.snapshots().save(new Snapshot(new SnapshotMeta(3, 2, config), new byte[] {9, 8, 7}));
            storage.log().append(entries(1, 10, 2, 20));
            storage.log().sync();
            storage.log().compactPrefix(3, 2);
        }
        try (FileRaftStorage storage = FileRaftStorage.open(dataDir)) {
            assertThat(storage.hardState().load()).isEqualTo(new HardState(4, "n1"));
            assertThat(storage.snapshots().latest()).get()
                    .satisfies(s -> assertThat(s.meta()).isEqualTo(new SnapshotMeta(3, 2, config)));
            assertThat(storage.log().snapshotIndex()).isEqualTo(3);
            assertThat(readAll(storage.log())).isEqualTo(entries(4, 10, 2, 20));
        }
        assertThat(dataDir.resolve("log")).isDirectory();
        assertThat(dataDir.resolve("hard-state")).isRegularFile();
        assertThat(dataDir.resolve("snapshot")).isRegularFile();
    }

    @Test
    void dataDirectoryCannotBeOpenedTwice() {
        try (FileRaftStorage ignored = FileRaftStorage.open(dataDir)) {
            assertThatThrownBy(() -> FileRaftStorage.open(dataDir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already open");
        }
        FileRaftStorage.open(dataDir).close();
    }

    @Test
    void syncListenerSeesEachSyncThatWroteSomething() {
        List<Long> syncs = new java.util.ArrayList<>();
        StorageOptions options = StorageOptions.defaults().withSyncListener(syncs::add);
        try (FileRaftStorage storage = FileRaftStorage.open(dataDir, options)) {
            storage.log().sync();
            storage.log().append(entries(1, 500, 1, 100));
            storage.log().sync();
            storage.log().sync();
        }
        assertThat(syncs).hasSize(1);
    }

    @Test
    void segmentSizeOutsideTheSupportedRangeIsRefused() {
        assertThatThrownBy(() -> StorageOptions.defaults().withSegmentSize(10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorageOptions.defaults().withSegmentSize(StorageOptions.MAX_SEGMENT_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(StorageOptions.defaults().fsync()).isTrue();
        assertThat(StorageOptions.defaults().unsafeWithoutFsyncForTests().fsync()).isFalse();
    }
}
