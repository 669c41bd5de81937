package io.flotilla.raft.server.config;

import org.springframework.aot.AotDetector;
import org.springframework.core.SpringProperties;
import org.springframework.util.ClassUtils;

import java.security.CodeSource;

/**
 * Starts a Raft service from the bean definitions Spring AOT generated at build time (the {@code process-aot} goal
 * of {@code spring-boot-maven-plugin}, run for the two Raft services, registry-service and tx-coordinator) instead of
 * finding them at every start: no configuration class parsing, no condition evaluation, no reflective bean
 * instantiation: a quarter less of a start's CPU and wall time (docs/benchmarks.md, "Issue #15, seventh pass:
 * build-time bean definitions").
 *
 * <p>The service's {@code main} calls {@link #useWhenPackaged} first. It turns Spring's AOT mode
 * ({@code spring.aot.enabled}) on in Spring's own {@link SpringProperties}, not as a system property, so that a
 * service run inside another application's JVM (flotilla-test's embedded servers, in a class loader of their own)
 * never switches that application's Spring; and only when all of these hold:
 * <ul>
 *   <li>{@code spring.aot.enabled} was not given: {@code -Dspring.aot.enabled=false} starts the usual way;</li>
 *   <li>the generated initializer is there and the application class was loaded from a jar: the build puts both
 *       in the jar together, whereas a {@code target/classes} directory (tests, an IDE) may hold generated classes
 *       of an earlier build next to newer configuration classes;</li>
 *   <li>this is not the build's own AOT processing run.</li>
 * </ul>
 * Bean definitions made at build time cannot follow a property that decides whether a bean exists; when the
 * running configuration gives such a property another value than the build did, {@link BuildTimeBeanDefinitionsCheck}
 * turns AOT mode off again before the context is made.
 */
public final class BuildTimeBeanDefinitions {

    private static final String AOT_PROCESSING = "spring.aot.processing";

    private BuildTimeBeanDefinitions() {
    }

    /** Turns Spring's AOT mode on for {@code application} when its packaged jar carries generated definitions. */
    public static void useWhenPackaged(Class<?> application) {
        if (SpringProperties.getProperty(AotDetector.AOT_ENABLED) != null || Boolean.getBoolean(AOT_PROCESSING)) {
            return;
        }
        if (generated(application) && loadedFromJar(application)) {
            SpringProperties.setProperty(AotDetector.AOT_ENABLED, "true");
        }
    }

    static boolean generated(Class<?> application) {
        return ClassUtils.isPresent(application.getName() + "__ApplicationContextInitializer",
                application.getClassLoader());
    }

    /** A plain jar ({@code file:…/x.jar}) or a class inside Spring Boot's executable jar ({@code jar:nested:…}). */
    static boolean loadedFromJar(Class<?> application) {
        CodeSource source = application.getProtectionDomain().getCodeSource();
        return source != null && source.getLocation() != null && source.getLocation().toString().contains(".jar");
    }
}
