package io.flotilla.testsupport;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.images.ImagePullPolicy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Decides, in seconds, whether a fixture can run a server image with Testcontainers: a Docker engine answers,
 * and the image, plus Testcontainers' Ryuk reaper unless {@code TESTCONTAINERS_RYUK_DISABLED=true}, is present
 * on the engine or can be pulled within {@link #PULL_TIMEOUT}. An engine that answers but cannot pull (no
 * registry reachable) would otherwise make Testcontainers retry the pull for minutes. The answers are kept for
 * the JVM.
 */
public final class DockerProbe {

    /** Set to {@code false} to skip the probe when you know there is no engine (or do not want it used). */
    public static final String PROPERTY = "flotilla.test.docker";

    /** The reaper image Testcontainers starts before the first container (the one of Testcontainers 2.0). */
    static final String RYUK_IMAGE = "testcontainers/ryuk:0.14.0";

    static final Duration PULL_TIMEOUT = Duration.ofSeconds(60);

    private static volatile Boolean engineAvailable;
    private static volatile DockerClient client;
    private static final Map<String, Boolean> IMAGES = new ConcurrentHashMap<>();

    private DockerProbe() {
    }

    /** Whether a Docker engine answers (and the probe is not switched off). */
    public static synchronized boolean dockerAvailable() {
        Boolean known = engineAvailable;
        if (known == null) {
            known = probeEngine();
            engineAvailable = known;
        }
        return known;
    }

    /** Whether Testcontainers can start {@code image} now, without waiting on a pull that cannot succeed. */
    public static boolean canRun(String image) {
        return dockerAvailable() && (ryukDisabled() || imageAvailable(RYUK_IMAGE)) && imageAvailable(image);
    }

    /**
     * The pull policy for an image {@link #canRun} accepted: it is on the engine now, so Testcontainers must not
     * pull it again (its own look-up of local images missed locally built stand-ins and fell back to a pull).
     */
    public static ImagePullPolicy alreadyPresent() {
        return imageName -> false;
    }

    /** Why {@link #canRun} said no, for the fixture's message. */
    public static String whyNot(String image) {
        if (!dockerAvailable()) {
            return "no Docker engine answers";
        }
        if (!ryukDisabled() && !imageAvailable(RYUK_IMAGE)) {
            return "Docker answers but " + RYUK_IMAGE + " is neither present nor pullable (or set TESTCONTAINERS_RYUK_DISABLED=true)";
        }
        return "Docker answers but " + image + " is neither present nor pullable";
    }

    private static boolean ryukDisabled() {
        return "true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED"));
    }

    private static boolean imageAvailable(String image) {
        return IMAGES.computeIfAbsent(image, DockerProbe::presentOrPulled);
    }

    private static boolean presentOrPulled(String image) {
        DockerClient docker = client();
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException notPresent) {
            try {
                return docker.pullImageCmd(image).start().awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (RuntimeException notPulled) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static DockerClient client() {
        if (!dockerAvailable()) {
            throw new IllegalStateException("no Docker engine");
        }
        return client;
    }

    /**
     * Finds the engine the way Testcontainers does (its transport configuration) but pings it with a client of
     * its own: Testcontainers' {@code isDockerAvailable()} starts Ryuk, and so waits on pulling it.
     */
    private static boolean probeEngine() {
        String configured = System.getProperty(PROPERTY, System.getenv("FLOTILLA_TEST_DOCKER"));
        if ("false".equalsIgnoreCase(configured)) {
            return false;
        }
        try {
            DockerClient candidate = DockerClientProviderStrategy.getClientForConfig(
                    DockerClientFactory.instance().getTransportConfig());
            candidate.pingCmd().exec();
            client = candidate;
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
