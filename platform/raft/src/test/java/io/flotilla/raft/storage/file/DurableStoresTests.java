package io.flotilla.raft.storage.file;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.storage.HardState;
import io.flotilla.raft.storage.Snapshot;
import io.flotilla.raft.storage.SnapshotMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurableStoresTests {

    private static final ClusterConfig CONFIG = new ClusterConfig(List.of(
            new ClusterConfig.Member("n1", "127.0.0.1:7001"), new ClusterConfig.Member("n2", "127.0.0.1:7002")));

    @TempDir
    Path dir;

    @Test
    void newNodeStartsWithTheInitialHardState() {
        assertThat(new FileHardStateStore(dir.resolve("hard-state"), true).load()).isEqualTo(HardState.INITIAL);
    }

    @Test
    void hardStateSurvivesReopen() {
        Path path = dir.resolve("hard-state");
        FileHardStateStore store = new FileHardStateStore(path, true);
        store.save(new HardState(3, "n2"));
        store.save(new HardState(4, null));
        store.save(new HardState(5, "nöde-ü"));
        assertThat(store.load()).isEqualTo(new HardState(5, "nöde-ü"));
        assertThat(new FileHardStateStore(path, true).load()).isEqualTo(new HardState(5, "nöde-ü"));
        store.save(new HardState(6, null));
        assertThat(new FileHardStateStore(path, true).load()).isEqualTo(new HardState(6, null));
    }

    @Test
    void leftoverTempFileOfAnInterruptedHardStateSaveIsIgnored() throws IOException {
        Path path = dir.resolve("hard-state");
        new FileHardStateStore(path, true).save(new HardState(7, "n1"));
        Path temp = dir.resolve("hard-state.tmp");
        Files.write(temp, new byte[] {1, 2, 3, 4, 5});
        assertThat(new FileHardStateStore(path, true).load()).isEqualTo(new HardState(7, "n1"));
        assertThat(temp).doesNotExist();
    }

    @Test
    void damagedHardStateStopsTheNode() throws IOException {
        Path path = dir.resolve("hard-state");
        new FileHardStateStore(path, true).save(new HardState(7, "n1"));
        byte[] bytes = Files.readAllBytes(path);
        bytes[8] ^= 1;
        Files.write(path, bytes);
        assertThatThrownBy(() -> new FileHardStateStore(path, true))
                .isInstanceOf(CorruptStorageException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("checksum");
    }

    @Test
    void truncatedHardStateStopsTheNode() throws IOException {
        Path path = dir.resolve("hard-state");
        new FileHardStateStore(path, true).save(new HardState(7, "n1"));
        byte[] bytes = Files.readAllBytes(path);
        Files.write(path, java.util.Arrays.copyOf(bytes, bytes.length - 6));
        assertThatThrownBy(() -> new FileHardStateStore(path, true)).isInstanceOf(CorruptStorageException.class);
    }

    @Test
    void snapshotStoreKeepsOnlyTheLatest() throws IOException {
        Path path = dir.resolve("snapshot");
        FileSnapshotStore store = new FileSnapshotStore(path, true);
        assertThat(store.latest()).isEmpty();
        store.save(snapshot(10, 2, 1000));
        store.save(snapshot(20, 3, 5000));
        Snapshot reloaded = new FileSnapshotStore(path, true).latest().orElseThrow();
        assertThat(reloaded.meta()).isEqualTo(new SnapshotMeta(20, 3, CONFIG));
        assertThat(reloaded.data()).isEqualTo(snapshot(20, 3, 5000).data());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("snapshot");
        }
    }

    @Test
    void leftoverTempFileOfAnInterruptedSnapshotSaveIsIgnored() throws IOException {
        Path path = dir.resolve("snapshot");
        new FileSnapshotStore(path, true).save(snapshot(10, 2, 100));
        Files.write(dir.resolve("snapshot.tmp"), new byte[3000]);
        assertThat(new FileSnapshotStore(path, true).latest()).get()
                .satisfies(s -> assertThat(s.meta().lastIncludedIndex()).isEqualTo(10));
    }

    @Test
    void damagedSnapshotStopsTheNode() throws IOException {
        Path path = dir.resolve("snapshot");
        new FileSnapshotStore(path, true).save(snapshot(10, 2, 3000));
        byte[] bytes = Files.readAllBytes(path);
        bytes[2000] ^= 0x10;
        Files.write(path, bytes);
        assertThatThrownBy(() -> new FileSnapshotStore(path, true))
                .isInstanceOf(CorruptStorageException.class)
                .hasMessageContaining(path.toString());
    }

    private static Snapshot snapshot(long index, long term, int size) {
        byte[] data = new byte[size];
        new Random(index).nextBytes(data);
        return new Snapshot(new SnapshotMeta(index, term, CONFIG), data);
    }
}
