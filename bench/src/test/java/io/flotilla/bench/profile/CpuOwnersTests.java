package io.flotilla.bench.profile;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CpuOwnersTests {

    @Test
    void aSampleBelongsToTheInnermostFrameOutsideTheJdkWithTheJdkCallsItMade() {
        // A socket write the tx starter's HTTP client made, down into the kernel: Flotilla's.
        assertThat(CpuOwners.owner("java/lang/Thread.run;org/apache/tomcat/util/threads/TaskThread.run;"
                + "io/flotilla/tx/core/HttpCoordinatorClient.registerBranch;io/flotilla/raft/client/HttpConnection.write;"
                + "sun/nio/ch/SocketDispatcher.write;__libc_write;do_syscall_64_[k]")).isEqualTo(CpuOwners.FLOTILLA);
        // Flotilla code that calls into Jackson: Jackson's, the library doing the work.
        assertThat(CpuOwners.owner("io/flotilla/tx/web/PhaseTwoHotPathFilter.serve;"
                + "tools/jackson/databind/ObjectMapper.writeValue;java/lang/String.getBytes")).isEqualTo("Jackson");
        assertThat(CpuOwners.owner("org/apache/coyote/http11/Http11Processor.service;"
                + "org/postgresql/core/v3/QueryExecutorImpl.execute;sun/nio/ch/NioSocketImpl.read"))
                .isEqualTo("PgJDBC");
    }

    @Test
    void stacksWithoutSuchAFrameAreTheJvmsOrTheJdksOwn() {
        assertThat(CpuOwners.owner("thread_native_entry;CompileBroker::compiler_thread_loop;C2Compiler::compile_method"))
                .isEqualTo(CpuOwners.JIT);
        assertThat(CpuOwners.owner("thread_native_entry;VMThread::run;SerialHeap::do_collection"))
                .isEqualTo(CpuOwners.GC);
        assertThat(CpuOwners.owner("java/util/concurrent/ForkJoinWorkerThread.run;"
                + "java/util/concurrent/ForkJoinPool.runWorker;jdk/internal/misc/Unsafe.park;futex_wait_[k]"))
                .isEqualTo(CpuOwners.JDK_ALONE);
        assertThat(CpuOwners.owner("start_thread;os::javaTimeNanos;clock_gettime")).isEqualTo(CpuOwners.NATIVE);
        assertThat(CpuOwners.owner("java/lang/Thread.run;com/example/Worker.run"))
                .isEqualTo("other library (com/example)");
    }

    @Test
    void countsAddUpByOwnerLargestFirst() {
        Map<String, Long> owners = CpuOwners.attribute(Stream.of(
                "java/lang/Thread.run;org/apache/catalina/connector/CoyoteAdapter.service 7",
                "java/lang/Thread.run;io/flotilla/raft/storage/file/Segment.force;fsync 3",
                "",
                "java/lang/Thread.run;org/apache/coyote/AbstractProtocol.process 5"));

        assertThat(owners).containsExactly(Map.entry("Tomcat", 12L), Map.entry(CpuOwners.FLOTILLA, 3L));
        assertThat(CpuOwners.format("tcc, bank-a", owners)).isEqualTo(String.format(
                "tcc, bank-a: 15 samples%n   80.0 %%  Tomcat%n   20.0 %%  Flotilla (this project)"));
    }
}
