package io.flotilla.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A Spring Boot application started from its runnable jar inside this JVM, in a class loader of its own whose
 * parent is the platform class loader: the service's classes, its {@code application.yml} and its dependency
 * versions never meet the application under test, and the application's never reach the service. The jar is
 * unpacked once per JVM into a temporary directory (plain file URLs: no nested-jar URL handler is installed
 * JVM-wide).
 */
final class IsolatedBootApplication implements AutoCloseable {

    private final String name;
    private final URLClassLoader classLoader;
    private final AutoCloseable context;

    private IsolatedBootApplication(String name, URLClassLoader classLoader, AutoCloseable context) {
        this.name = name;
        this.classLoader = classLoader;
        this.context = context;
    }

    /**
     * Runs the jar's {@code Start-Class} {@code main(args)} (so the service starts exactly as from the command
     * line) and returns once its context is ready, its web server listening.
     */
    static IsolatedBootApplication run(String name, Path execJar, List<String> args) {
        Unpacked unpacked = Unpacked.of(execJar);
        URLClassLoader loader = new URLClassLoader("flotilla-" + name, unpacked.urls(),
                ClassLoader.getPlatformClassLoader());
        AtomicReference<Object> context = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread main = new Thread(() -> {
            try {
                context.set(runMain(loader, unpacked.startClass(), args.toArray(String[]::new)));
            }
            catch (Throwable e) {
                failure.set(e instanceof InvocationTargetException invocation ? invocation.getCause() : e);
            }
        }, "flotilla-" + name + "-main");
        main.setContextClassLoader(loader);
        main.start();
        try {
            main.join();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + name + " started", e);
        }
        if (failure.get() != null || !(context.get() instanceof AutoCloseable started)) {
            closeQuietly(loader);
            throw new IllegalStateException("the embedded " + name + " did not start (its log is above)",
                    failure.get());
        }
        return new IsolatedBootApplication(name, loader, started);
    }

    /**
     * {@code SpringApplication.withHook(hook, () -> Start-Class.main(args))}: the hook's run listener hands over
     * the context that {@code main} creates but does not return.
     */
    private static Object runMain(ClassLoader loader, String startClass, String[] args) throws Exception {
        Class<?> springApplication = loader.loadClass("org.springframework.boot.SpringApplication");
        Class<?> hookType = loader.loadClass("org.springframework.boot.SpringApplicationHook");
        Class<?> listenerType = loader.loadClass("org.springframework.boot.SpringApplicationRunListener");
        Method main = loader.loadClass(startClass).getMethod("main", String[].class);
        disableTomcatUrlHandlers(loader);
        AtomicReference<Object> ready = new AtomicReference<>();
        InvocationHandler listener = (proxy, method, methodArgs) -> {
            if (method.getName().equals("ready") && methodArgs != null && methodArgs.length > 0) {
                ready.set(methodArgs[0]);
            }
            return objectMethod(proxy, method, methodArgs);
        };
        Object listenerProxy = Proxy.newProxyInstance(loader, new Class<?>[] {listenerType}, listener);
        Object hook = Proxy.newProxyInstance(loader, new Class<?>[] {hookType},
                (proxy, method, methodArgs) -> method.getName().equals("getRunListener") ? listenerProxy
                        : objectMethod(proxy, method, methodArgs));
        Runnable action = () -> {
            try {
                main.invoke(null, (Object) args);
            }
            catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
        };
        springApplication.getMethod("withHook", hookType, Runnable.class).invoke(null, hook, action);
        return ready.get();
    }

    /**
     * Tomcat installs its URL stream handler factory JVM-wide on first start, which only one class loader can do
     * ("factory already defined" in every other one). Embedded in a Spring Boot jar it needs none of its protocols
     * ({@code war:}), so the services do without and the application under test keeps the JVM's one slot.
     */
    private static void disableTomcatUrlHandlers(ClassLoader loader) throws ReflectiveOperationException {
        try {
            loader.loadClass("org.apache.catalina.webresources.TomcatURLStreamHandlerFactory").getMethod("disable")
                .invoke(null);
        }
        catch (ClassNotFoundException notTomcat) {
            // another web server: nothing to disable
        }
    }

    /** Answers for the {@code Object} methods of a proxy; {@code null} (void) for the listener's other calls. */
    private static Object objectMethod(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "flotilla-test run listener";
            default -> null;
        };
    }

    /** The port its web server listens on ({@code local.server.port}): the one it picked when started on port 0. */
    int localServerPort() {
        try {
            Object environment = context.getClass().getMethod("getEnvironment").invoke(context);
            Object port = environment.getClass().getMethod("getProperty", String.class)
                .invoke(environment, "local.server.port");
            if (port == null) {
                throw new IllegalStateException("the embedded " + name + " has no web server listening");
            }
            return Integer.parseInt(port.toString());
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the embedded " + name + "'s port", e);
        }
    }

    /** Closes the service's context (its web server and Raft node stop) and its class loader. */
    @Override
    public void close() {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(classLoader);
        try {
            context.close();
        }
        catch (Exception e) {
            throw new IllegalStateException("the embedded " + name + " did not stop cleanly", e);
        }
        finally {
            Thread.currentThread().setContextClassLoader(previous);
            closeQuietly(classLoader);
        }
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        }
        catch (IOException ignored) {
            // the jars are in a temporary directory; nothing is left open that matters
        }
    }

    /** A runnable jar unpacked: {@code BOOT-INF/classes} and {@code BOOT-INF/lib/*.jar} in class-path order. */
    private record Unpacked(URL[] urls, String startClass) {

        static synchronized Unpacked of(Path execJar) {
            try (JarFile jar = new JarFile(execJar.toFile())) {
                String startClass = jar.getManifest().getMainAttributes().getValue("Start-Class");
                if (startClass == null) {
                    throw new IllegalStateException(execJar + " is not a Spring Boot runnable jar (no Start-Class)");
                }
                Path directory = Path.of(System.getProperty("java.io.tmpdir"), "flotilla-test",
                        execJar.getFileName() + "-" + Files.size(execJar) + "-" + Files.getLastModifiedTime(execJar).toMillis());
                Path complete = directory.resolve(".complete");
                if (!Files.exists(complete)) {
                    deleteStaleCopies(directory, execJar.getFileName().toString());
                    unpack(jar, directory);
                    Files.writeString(complete, execJar.toString(), StandardCharsets.UTF_8);
                }
                return new Unpacked(classPath(jar, directory), startClass);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot unpack " + execJar, e);
            }
        }

        /**
         * Every rebuild of a service's jar is unpacked anew; copies of earlier builds untouched for a day go (a
         * younger one may still be in use by another test JVM).
         */
        private static void deleteStaleCopies(Path directory, String jarName) throws IOException {
            Path parent = directory.getParent();
            if (!Files.isDirectory(parent)) {
                return;
            }
            long dayAgo = System.currentTimeMillis() - Duration.ofDays(1).toMillis();
            try (Stream<Path> copies = Files.list(parent)) {
                for (Path copy : copies.filter(c -> c.getFileName().toString().startsWith(jarName + "-")).toList()) {
                    if (Files.getLastModifiedTime(copy).toMillis() < dayAgo) {
                        try (Stream<Path> files = Files.walk(copy)) {
                            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                        }
                    }
                }
            }
        }

        private static void unpack(JarFile jar, Path directory) throws IOException {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.isDirectory() || !entry.getName().startsWith("BOOT-INF/")) {
                    continue;
                }
                Path target = directory.resolve(entry.getName()).normalize();
                if (!target.startsWith(directory)) {
                    throw new IOException("entry outside the jar's directory: " + entry.getName());
                }
                Files.createDirectories(target.getParent());
                Path partial = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".part");
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }

        /** The classes first, then the libraries in the order of {@code classpath.idx} (as the launcher does). */
        private static URL[] classPath(JarFile jar, Path directory) throws IOException {
            List<URL> urls = new ArrayList<>();
            urls.add(url(directory.resolve("BOOT-INF/classes")));
            JarEntry index = jar.getJarEntry("BOOT-INF/classpath.idx");
            List<String> libraries = new ArrayList<>();
            if (index != null) {
                try (InputStream in = jar.getInputStream(index)) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        String entry = line.strip();
                        if (entry.startsWith("- ")) {
                            libraries.add(entry.substring(2).replace("\"", ""));
                        }
                    }
                }
            }
            else {
                File[] jars = directory.resolve("BOOT-INF/lib").toFile().listFiles();
                Arrays.stream(jars == null ? new File[0] : jars).map(f -> "BOOT-INF/lib/" + f.getName()).sorted()
                    .forEach(libraries::add);
            }
            for (String library : libraries) {
                urls.add(url(directory.resolve(library)));
            }
            return urls.toArray(URL[]::new);
        }

        private static URL url(Path path) {
            try {
                return path.toUri().toURL();
            }
            catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
