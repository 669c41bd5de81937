package io.flotilla.testsupport.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started as a real operating-system process, for tests that kill, pause and restart services.
 *
 * <p>It runs {@code java -cp <classpath> <mainClass> <args>} with the JDK running the tests and, by default, the
 * test's own classpath, so a module's tests can start that module's application (or any dependency's) without a
 * packaged jar. Output goes to {@code target/process-logs/<name>.log}, appended across restarts, so a failing
 * test can print what the process said ({@link #logTail()}).
 *
 * <p>{@link #start()} returns once the health URL (if any) answers 2xx. {@link #kill()} is {@code kill -9}: no
 * shutdown hooks run, which is what a crash test needs. {@link #stop()} is a graceful SIGTERM.
 */
public final class JavaProcess implements AutoCloseable {

    private static final Path LOG_DIR = Path.of("target", "process-logs");

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final String healthUrl;
    private final Duration startTimeout;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private JavaProcess(Builder builder) {
        this.name = builder.name;
        this.command = builder.command();
        this.environment = Map.copyOf(builder.environment);
        this.healthUrl = builder.healthUrl;
        this.startTimeout = builder.startTimeout;
        this.logFile = LOG_DIR.resolve(name + ".log");
    }

    /** A process named {@code name} (used for its log file) that runs {@code mainClass}. */
    public static Builder builder(String name, String mainClass) {
        return new Builder(name, mainClass);
    }

    /** A process that runs a runnable jar ({@code java -jar}), such as a service's {@code -exec.jar}. */
    public static Builder jarBuilder(String name, Path jar) {
        Builder builder = new Builder(name, null);
        builder.jar = jar;
        return builder;
    }

    /**
     * The runnable jar of a module that is a test dependency with classifier {@code exec}: the path in the system
     * property {@code flotilla.test.exec-jar.<module>} (the build sets it and keeps the jar off the test class path,
     * whose Spring Boot would read the jar's {@code META-INF/spring.factories} and fail on classes it cannot load),
     * else the jar on the class path.
     */
    public static Optional<Path> execJar(String module) {
        String configured = System.getProperty("flotilla.test.exec-jar." + module, "");
        if (!configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> new File(entry).getName().startsWith(module) && entry.endsWith("-exec.jar"))
            .map(Path::of)
            .findFirst();
    }

    /** Same as {@link #builder(String, String)} with a class reference. */
    public static Builder builder(String name, Class<?> mainClass) {
        return new Builder(name, mainClass.getName());
    }

    /** Starts the process and waits until it is healthy; fails with the log's tail when it dies or times out. */
    public synchronized JavaProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(LOG_DIR);
            Files.writeString(logFile, "---- starting " + name + ": " + String.join(" ", command) + System.lineSeparator(),
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        awaitHealthy();
        return this;
    }

    /** Waits until the health URL answers 2xx again (for example after the process was paused or a peer died). */
    public void awaitHealthy() {
        if (healthUrl == null) {
            return;
        }
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was healthy:\n"
                        + logTail());
            }
            if (answers2xx()) {
                return;
            }
            sleep(Duration.ofMillis(100));
        }
        // Not healthy in time: stop it, so a failed start never leaves an orphan behind the test.
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
        throw new IllegalStateException(name + " was not healthy at " + healthUrl + " within " + startTimeout + ":\n"
                + logTail());
    }

    private boolean answers2xx() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(healthUrl)).timeout(Duration.ofSeconds(2)).GET().build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** {@code kill -9}: the process gets no chance to flush, deregister or run shutdown hooks. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM and wait for a graceful exit; escalates to {@code kill -9} after {@code grace}. */
    public synchronized void stop(Duration grace) {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitForExit(grace)) {
                kill();
            }
        }
    }

    /** {@link #stop(Duration)} with a 20 s grace period. */
    public void stop() {
        stop(Duration.ofSeconds(20));
    }

    /** Stops the process gracefully and starts it again with the same command line. */
    public synchronized JavaProcess restart() {
        stop();
        return start();
    }

    /** SIGSTOP: the process stays alive but runs no code, like a long GC pause or a frozen VM. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** The last 60 lines of this process's log, for failure messages. */
    public String logTail() {
        try {
            if (!Files.exists(logFile)) {
                return "(no log)";
            }
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops the process (gracefully, then forcibly), so a test's try-with-resources never leaves an orphan. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Command line, environment and health check of a {@link JavaProcess}. */
    public static final class Builder {

        private final String name;
        private final String mainClass;
        private final List<String> args = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String classpath = System.getProperty("java.class.path");
        private Path jar;
        private String healthUrl;
        private Duration startTimeout = Duration.ofSeconds(90);
        private String maxHeap = "256m";

        private Builder(String name, String mainClass) {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("process name must be usable as a file name: " + name);
            }
            this.name = name;
            this.mainClass = mainClass;
        }

        /** Program arguments, for example {@code --server.port=8500}. */
        public Builder args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        public Builder systemProperty(String key, String value) {
            systemProperties.put(key, value);
            return this;
        }

        public Builder env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /** Extra JVM options. The defaults favour many small JVMs on a small machine (serial GC, C1 only). */
        public Builder jvmOptions(String... values) {
            jvmOptions.addAll(List.of(values));
            return this;
        }

        public Builder maxHeap(String value) {
            this.maxHeap = value;
            return this;
        }

        /** Replaces the default classpath (the running test's). */
        public Builder classpath(String value) {
            this.classpath = value;
            return this;
        }

        /** URL that answers 2xx once the process is ready, usually {@code http://127.0.0.1:<port>/actuator/health}. */
        public Builder healthUrl(String value) {
            this.healthUrl = value;
            return this;
        }

        public Builder startTimeout(Duration value) {
            this.startTimeout = value;
            return this;
        }

        /** Builds the process without starting it. */
        public JavaProcess build() {
            return new JavaProcess(this);
        }

        /** Builds and starts the process, waiting until it is healthy. */
        public JavaProcess start() {
            return build().start();
        }

        private List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx" + maxHeap);
            command.addAll(jvmOptions);
            systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            if (jar != null) {
                command.add("-jar");
                command.add(jar.toString());
            } else {
                command.add("-cp");
                command.add(classpath);
                command.add(mainClass);
            }
            command.addAll(args);
            return List.copyOf(command);
        }
    }
}
