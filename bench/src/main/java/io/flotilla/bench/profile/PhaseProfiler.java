package io.flotilla.bench.profile;

import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Profiles other JVMs for the length of one benchmark phase with async-profiler (CPU, {@code itimer}, 1 ms), loaded
 * into each through the JDK's Attach API as {@code jcmd <pid> JVMTI.agent_load} would: started when the phase
 * starts, stopped when it ends, one collapsed-stacks file per phase and process ({@code <phase>-<name>.collapsed}),
 * which {@link CpuOwners} reads. The library is async-profiler's {@code libasyncProfiler.so}, from Maven Central
 * ({@code tools.profiler:async-profiler:<version>:jar:linux-x64}; bench/scripts/tx-bench.sh fetches it).
 */
public final class PhaseProfiler {

    private final Path agent;
    private final Path directory;
    private final Map<String, ProcessHandle> processes;

    public PhaseProfiler(Path agent, Path directory, Map<String, ProcessHandle> processes) throws IOException {
        if (!Files.isRegularFile(agent)) {
            throw new IllegalArgumentException("no async-profiler library at " + agent);
        }
        this.agent = agent.toAbsolutePath();
        this.directory = Files.createDirectories(directory).toAbsolutePath();
        this.processes = new LinkedHashMap<>(processes);
    }

    /** Starts profiling every process for {@code phase}. */
    public void start(String phase) throws IOException {
        for (Map.Entry<String, ProcessHandle> process : processes.entrySet()) {
            command(process.getValue(), "start,event=itimer,interval=1ms,file=" + file(phase, process.getKey()));
        }
    }

    /** Stops profiling and writes each process's file; returns the files by process name. */
    public Map<String, Path> stop(String phase) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (Map.Entry<String, ProcessHandle> process : processes.entrySet()) {
            Path file = file(phase, process.getKey());
            command(process.getValue(), "stop,file=" + file);
            files.put(process.getKey(), file);
        }
        return files;
    }

    private Path file(String phase, String process) {
        return directory.resolve(phase + "-" + process + ".collapsed");
    }

    private void command(ProcessHandle process, String options) throws IOException {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
            try {
                vm.loadAgentPath(agent.toString(), options);
            } finally {
                vm.detach();
            }
        } catch (com.sun.tools.attach.AttachNotSupportedException | com.sun.tools.attach.AgentLoadException
                 | com.sun.tools.attach.AgentInitializationException e) {
            throw new IOException("async-profiler '" + options + "' in process " + process.pid() + ": " + e, e);
        }
    }
}
