package io.flotilla.e2e.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.flotilla.e2e.compose.ModuleProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No cluster is needed: deploy/kubernetes is read into fabric8's Kubernetes model, strictly (a field the model
 * does not know fails the test instead of landing in {@code additionalProperties}), and checked against the
 * modules the way {@code ComposeFileTests} checks the compose file: images built from modules, environment
 * variables that bind to properties, ports and probes that match, peer lists that match the StatefulSets, a
 * majority kept through voluntary disruptions, and secrets only from the Secret.
 */
class KubernetesManifestsTests {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path BASE = ROOT.resolve("deploy/kubernetes/base");
    private static final Path DEMO = ROOT.resolve("deploy/kubernetes/overlays/demo");
    private static final Pattern MODULE_IMAGE = Pattern.compile("flotilla/([a-z-]+)(:[\\w.-]+)?");
    private static final Pattern PEER = Pattern.compile("([\\w.-]+)@([\\w.-]+):(\\d+)");
    private static final Pattern URL_HOST = Pattern.compile("^[a-z]+://([a-z0-9.-]+):(\\d+)");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Z_]+)\\)");
    private static final String SECRET = "flotilla-secrets";
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Service", Service.class, "v1/ConfigMap", ConfigMap.class, "v1/Namespace", Namespace.class,
            "apps/v1/StatefulSet", StatefulSet.class, "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<HasMetadata> resources = new ArrayList<>();
    private static final List<String> unknownFields = new ArrayList<>();

    @BeforeAll
    static void readManifests() throws IOException {
        for (String file : kustomizationResources(BASE)) {
            Path manifest = BASE.resolve(file);
            try (var parser = YAML.getFactory().createParser(manifest.toFile())) {
                for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
                    String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
                    assertThat(KINDS).as("kind %s in %s", type, file).containsKey(type);
                    HasMetadata resource = YAML.treeToValue(document, KINDS.get(type));
                    collectUnknownFields(file + ":" + type + "/" + resource.getMetadata().getName(), resource,
                            Collections.newSetFromMap(new IdentityHashMap<>()));
                    resources.add(resource);
                }
            }
        }
    }

    @Test
    void everyManifestIsListedAndParsesWithoutAFieldTheModelDoesNotKnow() throws IOException {
        try (Stream<Path> files = Files.list(BASE)) {
            assertThat(files.map(path -> path.getFileName().toString()).filter(name -> !name.equals("kustomization.yaml")))
                    .as("manifests in the base").containsExactlyInAnyOrderElementsOf(kustomizationResources(BASE));
        }
        for (String resource : kustomizationResources(DEMO)) {
            assertThat(DEMO.resolve(resource)).as("demo overlay resource").exists();
        }
        assertThat(resources).isNotEmpty();
        assertThat(unknownFields).as("fields the Kubernetes model does not know").isEmpty();
    }

    @Test
    void everyImageIsBuiltFromAModuleOrIsTheComposeFilesInfrastructure() throws IOException {
        Set<String> composeImages = composeInfrastructureImages();
        containers().forEach((workload, container) -> {
            Matcher module = MODULE_IMAGE.matcher(container.getImage());
            if (module.matches()) {
                assertThat(ROOT.resolve(module.group(1)).resolve("src/main/resources/application.yml"))
                        .as("%s runs %s, a Spring Boot module", workload, container.getImage()).exists();
            } else {
                assertThat(composeImages).as("%s runs neither a module nor the compose file's infrastructure", workload)
                        .contains(container.getImage());
            }
        });
    }

    @Test
    void everyEnvironmentVariableSetsAPropertyItsModuleUnderstands() {
        List<String> unknown = new ArrayList<>();
        containers().forEach((workload, container) -> {
            Matcher module = MODULE_IMAGE.matcher(container.getImage());
            if (!module.matches()) {
                return;
            }
            ModuleProperties properties = ModuleProperties.of(ROOT, module.group(1));
            Set<String> helpers = substitutionHelpers(container);
            for (EnvVar variable : container.getEnv()) {
                if (!helpers.contains(variable.getName())
                        && properties.propertyFor(variable.getName(), String.valueOf(variable.getValue())).isEmpty()) {
                    unknown.add(workload + ": " + variable.getName());
                }
            }
        });
        assertThat(unknown).as("environment variables that bind to no property of their module").isEmpty();
    }

    @Test
    void portsProbesAndServicesMatchWhatEachServiceListensOn() {
        containers().forEach((workload, container) -> {
            Matcher module = MODULE_IMAGE.matcher(container.getImage());
            assertThat(container.getPorts()).as("%s declares its ports", workload).isNotEmpty();
            assertThat(container.getReadinessProbe()).as("%s has a readiness probe", workload).isNotNull();
            assertThat(container.getLivenessProbe()).as("%s has a liveness probe", workload).isNotNull();
            assertThat(container.getResources().getRequests()).as("%s requests resources", workload)
                    .containsKeys("cpu", "memory");
            if (!module.matches()) {
                return;
            }
            String listening = env(container).getOrDefault("SERVER_PORT", defaultServerPort(module.group(1)));
            assertThat(portNamed(container, "http")).as("%s: the http port is SERVER_PORT", workload)
                    .isEqualTo(Integer.parseInt(listening));
            assertHealthProbe(workload, container.getStartupProbe(), "/actuator/health/liveness");
            assertHealthProbe(workload, container.getLivenessProbe(), "/actuator/health/liveness");
            assertHealthProbe(workload, container.getReadinessProbe(), "/actuator/health/readiness");
        });
        for (Service service : of(Service.class)) {
            List<Container> selected = podsSelectedBy(service.getSpec().getSelector()).stream()
                    .flatMap(template -> template.getSpec().getContainers().stream()).toList();
            assertThat(selected).as("Service %s selects pods", service.getMetadata().getName()).isNotEmpty();
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString target = port.getTargetPort();
                assertThat(selected).as("Service %s targets port %s of its pods", service.getMetadata().getName(), target)
                        .anyMatch(container -> container.getPorts().stream().anyMatch(declared ->
                                target.getStrVal() != null ? target.getStrVal().equals(declared.getName())
                                        : target.getIntVal().equals(declared.getContainerPort())));
            }
        }
    }

    @Test
    void peerListsNameEveryPodOfTheirStatefulSetAtItsStableAddress() {
        int groups = 0;
        for (StatefulSet set : of(StatefulSet.class)) {
            for (Container container : set.getSpec().getTemplate().getSpec().getContainers()) {
                Map<String, String> env = env(container);
                List<String> peerVariables = env.keySet().stream().filter(name -> name.endsWith("_PEERS")).toList();
                if (peerVariables.isEmpty()) {
                    continue;
                }
                groups++;
                String name = set.getMetadata().getName();
                String serviceName = set.getSpec().getServiceName();
                String prefix = peerVariables.getFirst().substring(0, peerVariables.getFirst().length() - "PEERS".length());
                List<String> expected = IntStream.range(0, set.getSpec().getReplicas())
                        .mapToObj(i -> "%1$s-%2$d@%1$s-%2$d.%3$s:%4$d".formatted(name, i, serviceName,
                                portNamed(container, "raft"))).toList();
                List<String> peers = List.of(env.get(peerVariables.getFirst()).split(","));
                assertThat(peers).as("peers of %s", name).allMatch(peer -> PEER.matcher(peer).matches())
                        .containsExactlyElementsOf(expected);
                assertThat(env).as("%s: member id and Raft host come from the pod name", name)
                        .containsEntry(prefix + "NODEID", "$(POD_NAME)")
                        .containsEntry(prefix + "RAFTHOST", "$(POD_NAME)." + serviceName)
                        .containsEntry(prefix + "RAFTPORT", String.valueOf(portNamed(container, "raft")));
                assertThat(container.getEnv()).as("%s: POD_NAME is the pod's name", name).anyMatch(variable ->
                        variable.getName().equals("POD_NAME") && variable.getValueFrom() != null
                                && "metadata.name".equals(variable.getValueFrom().getFieldRef().getFieldPath()));
                Service headless = named(Service.class, serviceName);
                assertThat(headless.getSpec().getClusterIP()).as("%s is headless", serviceName).isEqualTo("None");
                assertThat(headless.getSpec().getPublishNotReadyAddresses())
                        .as("%s: members find each other before they are ready", serviceName).isTrue();
                assertThat(set.getSpec().getPodManagementPolicy())
                        .as("%s: members start together (a leader needs a majority)", name).isEqualTo("Parallel");
                assertThat(set.getSpec().getVolumeClaimTemplates()).as("%s keeps its data", name).isNotEmpty();
            }
        }
        assertThat(groups).as("Raft groups (registry and coordinator)").isEqualTo(2);
    }

    @Test
    void everyAddressAServiceCallsIsAServiceOrAStatefulSetPodWithThatPort() {
        containers().forEach((workload, container) -> {
            for (EnvVar variable : container.getEnv()) {
                if (variable.getValue() == null || variable.getName().endsWith("_PEERS")) {
                    continue;
                }
                for (String address : variable.getValue().split(",")) {
                    Matcher url = URL_HOST.matcher(address.replaceFirst("^jdbc:", ""));
                    if (!url.find() || url.group(1).contains("$(")) {
                        continue;
                    }
                    String host = url.group(1);
                    int port = Integer.parseInt(url.group(2));
                    String serviceName = host.contains(".") ? host.substring(host.indexOf('.') + 1) : host;
                    Service service = named(Service.class, serviceName);
                    assertThat(service.getSpec().getPorts()).as("%s: %s calls %s", workload, variable.getName(), address)
                            .anyMatch(declared -> declared.getPort() == port);
                    if (host.contains(".")) {
                        String pod = host.substring(0, host.indexOf('.'));
                        assertThat(of(StatefulSet.class)).as("%s: %s names pod %s", workload, variable.getName(), pod)
                                .anyMatch(set -> set.getSpec().getServiceName().equals(serviceName)
                                        && pod.matches(Pattern.quote(set.getMetadata().getName()) + "-\\d+")
                                        && Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1)) < set.getSpec().getReplicas());
                    }
                }
            }
        });
    }

    @Test
    void voluntaryDisruptionsKeepEveryRaftGroupsMajority() {
        for (StatefulSet set : of(StatefulSet.class)) {
            boolean raftGroup = set.getSpec().getTemplate().getSpec().getContainers().stream()
                    .anyMatch(container -> env(container).keySet().stream().anyMatch(name -> name.endsWith("_PEERS")));
            if (!raftGroup) {
                continue;
            }
            int majority = set.getSpec().getReplicas() / 2 + 1;
            assertThat(of(PodDisruptionBudget.class)).as("a PodDisruptionBudget keeps %d of %s", majority,
                            set.getMetadata().getName())
                    .anyMatch(budget -> budget.getSpec().getSelector().getMatchLabels()
                            .equals(set.getSpec().getSelector().getMatchLabels())
                            && budget.getSpec().getMinAvailable() != null
                            && budget.getSpec().getMinAvailable().getIntVal() == majority);
        }
    }

    @Test
    void secretsComeOnlyFromTheSecretTheDemoOverlayGenerates() throws IOException {
        Set<String> generatedKeys = demoSecretKeys();
        containers().forEach((workload, container) -> {
            for (EnvVar variable : container.getEnv()) {
                boolean secret = variable.getName().matches(".*(PASSWORD|TOKEN|SECRET).*");
                if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
                    assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo(SECRET);
                    assertThat(generatedKeys).as("%s: %s", workload, variable.getName())
                            .contains(variable.getValueFrom().getSecretKeyRef().getKey());
                } else {
                    assertThat(secret).as("%s: %s is a literal", workload, variable.getName()).isFalse();
                }
            }
        });
        assertThat(of(StatefulSet.class).stream().map(set -> set.getSpec().getTemplate()))
                .as("Flotilla pods run as a non-root user")
                .filteredOn(template -> template.getSpec().getContainers().stream()
                        .anyMatch(container -> MODULE_IMAGE.matcher(container.getImage()).matches()))
                .allMatch(template -> Boolean.TRUE.equals(template.getSpec().getSecurityContext().getRunAsNonRoot()));
    }

    // --- reading ---------------------------------------------------------------------------------------------

    private static void assertHealthProbe(String workload, Probe probe, String path) {
        assertThat(probe).as("%s probes %s", workload, path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as("%s probe path", workload).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as("%s probes its http port", workload).isEqualTo("http");
    }

    /** Variables that only feed {@code $(NAME)} substitutions in others (the pod's name or IP). */
    private static Set<String> substitutionHelpers(Container container) {
        Set<String> referenced = new TreeSet<>();
        for (EnvVar variable : container.getEnv()) {
            Matcher matcher = REFERENCE.matcher(String.valueOf(variable.getValue()));
            while (matcher.find()) {
                referenced.add(matcher.group(1));
            }
        }
        return referenced;
    }

    private static Map<String, Container> containers() {
        Map<String, Container> containers = new LinkedHashMap<>();
        for (HasMetadata resource : resources) {
            PodTemplateSpec template = templateOf(resource);
            if (template != null) {
                for (Container container : template.getSpec().getContainers()) {
                    containers.put(resource.getKind() + "/" + resource.getMetadata().getName() + "/" + container.getName(), container);
                }
            }
        }
        return containers;
    }

    private static PodTemplateSpec templateOf(HasMetadata resource) {
        if (resource instanceof StatefulSet set) {
            return set.getSpec().getTemplate();
        }
        return resource instanceof Deployment deployment ? deployment.getSpec().getTemplate() : null;
    }

    private static List<PodTemplateSpec> podsSelectedBy(Map<String, String> selector) {
        return resources.stream().map(KubernetesManifestsTests::templateOf)
                .filter(template -> template != null
                        && template.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .toList();
    }

    private static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.getEnv().forEach(variable -> env.put(variable.getName(), variable.getValue()));
        return env;
    }

    private static int portNamed(Container container, String name) {
        return container.getPorts().stream().filter(port -> name.equals(port.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + name))
                .getContainerPort();
    }

    private static <T extends HasMetadata> List<T> of(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T named(Class<T> type, String name) {
        return of(type).stream().filter(resource -> resource.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    @SuppressWarnings("unchecked")
    private static List<String> kustomizationResources(Path directory) throws IOException {
        try (Reader reader = Files.newBufferedReader(directory.resolve("kustomization.yaml"))) {
            Map<String, Object> kustomization = new Yaml().load(reader);
            return (List<String>) kustomization.get("resources");
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> demoSecretKeys() throws IOException {
        try (Reader reader = Files.newBufferedReader(DEMO.resolve("kustomization.yaml"))) {
            Map<String, Object> kustomization = new Yaml().load(reader);
            return ((List<Map<String, Object>>) kustomization.get("secretGenerator")).stream()
                    .filter(generator -> SECRET.equals(generator.get("name")))
                    .flatMap(generator -> ((List<String>) generator.get("literals")).stream())
                    .map(literal -> literal.substring(0, literal.indexOf('=')))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> composeInfrastructureImages() throws IOException {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>)
                    new Yaml().<Map<String, Object>>load(reader).get("services");
            return services.values().stream().filter(service -> service.containsKey("image"))
                    .map(service -> String.valueOf(service.get("image"))).collect(Collectors.toSet());
        }
    }

    private static String defaultServerPort(String module) {
        try {
            Map<String, Object> yml = new Yaml().load(Files.readString(ROOT.resolve(module).resolve("src/main/resources/application.yml")));
            Object server = yml == null ? null : yml.get("server");
            return server instanceof Map<?, ?> map ? String.valueOf(map.get("port")) : "8080";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * fabric8's model classes keep fields they do not know in {@code additionalProperties}; any entry there is a
     * misspelt or misplaced field that a cluster would reject or silently ignore.
     */
    private static void collectUnknownFields(String path, Object value, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                collectUnknownFields(path + "[" + i++ + "]", element, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> collectUnknownFields(path + "." + key, element, seen));
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object property;
            try {
                property = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (property instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknownFields.add(path + ": " + extra.keySet());
                }
            } else {
                collectUnknownFields(path + "." + getter.getName().substring(3), property, seen);
            }
        }
    }
}
