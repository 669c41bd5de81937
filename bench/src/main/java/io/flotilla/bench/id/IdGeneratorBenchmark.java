package io.flotilla.bench.id;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.flotilla.id.core.FileTimestampStore;
import io.flotilla.id.core.IdLayout;
import io.flotilla.id.core.SnowflakeIdGenerator;
import io.flotilla.id.core.StaticWorkerIdProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * In-process issue rate of the lock-free {@link SnowflakeIdGenerator} against the textbook
 * {@link SynchronizedSnowflake}, with 1 and 8 threads. With the standard 12-bit sequence both are capped at 4,096
 * ids per millisecond per worker; the 22-bit layout (41-bit timestamp, no node bits) lifts the cap to 4.2 billion
 * ids/s so that the cost of the issue path itself (CAS against a lock) shows. {@link IdBenchmarkMain} prints the
 * ratios.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class IdGeneratorBenchmark {

    @Param({ "12", "22" })
    public int sequenceBits;

    private Path stateDir;

    private SnowflakeIdGenerator flotilla;

    private SynchronizedSnowflake textbook;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        stateDir = Files.createTempDirectory("flotilla-id-bench");
        int nodeBits = 22 - sequenceBits;
        IdLayout layout = new IdLayout(IdLayout.DEFAULT_EPOCH.toEpochMilli(), 41, nodeBits / 2, nodeBits - nodeBits / 2,
                sequenceBits);
        int node = (nodeBits > 0) ? 1 : 0;
        flotilla = SnowflakeIdGenerator.builder(layout)
            .workerIdProvider(new StaticWorkerIdProvider(node, node))
            .timestampStore(new FileTimestampStore(stateDir))
            .build();
        textbook = new SynchronizedSnowflake(sequenceBits, (nodeBits > 0) ? 33 : 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        flotilla.close();
        try (var files = Files.list(stateDir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(stateDir);
    }

    @Benchmark
    @Threads(1)
    public long flotilla1Thread() {
        return flotilla.next();
    }

    @Benchmark
    @Threads(8)
    public long flotilla8Threads() {
        return flotilla.next();
    }

    @Benchmark
    @Threads(1)
    public long synchronized1Thread() {
        return textbook.nextId();
    }

    @Benchmark
    @Threads(8)
    public long synchronized8Threads() {
        return textbook.nextId();
    }
}
