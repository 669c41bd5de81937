package io.flotilla.examples.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** flotilla-bom manages every artifact the root build publishes for applications, so no snippet needs a version. */
class BomTests {

    /** Modules that are applications or the build's own tooling, not dependencies of users' applications. */
    private static final Set<String> NOT_FOR_APPLICATIONS = Set.of("flotilla-test-support", "flotilla-bench",
            "flotilla-e2e-tests", "id-service", "lock-service", "inventory-service", "order-service", "gateway",
            "flotilla-examples", "flotilla-bom");

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern OWN_ARTIFACT_ID = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>");
    private static final Pattern MANAGED = Pattern.compile(
            "<groupId>io\\.flotilla</groupId>\\s*<artifactId>([^<]+)</artifactId>");

    private final Path root = Path.of("").toAbsolutePath().getParent().getParent();

    @Test
    void everyModuleForApplicationsIsInTheBom() throws IOException {
        String bom = Files.readString(root.resolve("platform/bom/pom.xml"));
        List<String> managed = MANAGED.matcher(bom).results().map(m -> m.group(1)).toList();
        List<String> missing = new ArrayList<>();
        Matcher module = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
        while (module.find()) {
            Path pom = root.resolve(module.group(1)).resolve("pom.xml");
            Matcher artifactId = OWN_ARTIFACT_ID.matcher(Files.readString(pom));
            if (artifactId.find() && !NOT_FOR_APPLICATIONS.contains(artifactId.group(1))
                    && !managed.contains(artifactId.group(1))) {
                missing.add(artifactId.group(1) + " (" + module.group(1) + ")");
            }
        }
        assertThat(missing).as("modules to add to platform/bom/pom.xml (or to NOT_FOR_APPLICATIONS here, if no "
                + "application ever depends on them)").isEmpty();
    }
}
