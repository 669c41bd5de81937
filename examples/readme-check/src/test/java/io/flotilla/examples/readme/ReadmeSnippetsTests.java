package io.flotilla.examples.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README snippets cannot rot: each fenced block after a {@code <!-- snippet: <file> -->} line is in that
 * file (line by line, indentation aside), and no snippet pins a version on a Flotilla artifact, which the BOM
 * manages.
 */
class ReadmeSnippetsTests {

    private static final Pattern MARKER = Pattern.compile("^<!-- snippet: (\\S+) -->$");
    private static final Pattern FLOTILLA_DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>io\\.flotilla</groupId>\\s*<artifactId>([^<]+)</artifactId>(.*?)</dependency>",
            Pattern.DOTALL);
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", ".flotilla", "data");

    private final Path root = repositoryRoot();

    @Test
    void everyMarkedSnippetIsInTheFileItNames() {
        List<Snippet> snippets = readmes().flatMap(readme -> snippets(readme).stream()).toList();
        assertThat(snippets).as("marked snippets in the READMEs").hasSizeGreaterThanOrEqualTo(10);
        List<String> missing = new ArrayList<>();
        for (Snippet snippet : snippets) {
            Path source = root.resolve(snippet.source());
            if (!Files.isRegularFile(source)) {
                missing.add(snippet.where() + ": names " + snippet.source() + ", which does not exist");
            }
            else if (!containsLines(normalize(read(source)), normalize(snippet.lines()))) {
                missing.add(snippet.where() + ": not found in " + snippet.source() + ":\n  "
                        + String.join("\n  ", snippet.lines()));
            }
        }
        assertThat(missing).as("README snippets that are no longer in their example").isEmpty();
    }

    @Test
    void noSnippetPinsTheVersionOfAFlotillaArtifact() {
        List<String> pinned = new ArrayList<>();
        readmes().forEach(readme -> {
            Matcher dependency = FLOTILLA_DEPENDENCY.matcher(String.join("\n", read(readme)));
            while (dependency.find()) {
                if (!dependency.group(1).equals("flotilla-bom") && dependency.group(2).contains("<version>")) {
                    pinned.add(root.relativize(readme) + ": " + dependency.group(1));
                }
            }
        });
        assertThat(pinned).as("Flotilla dependencies with a <version> in a README (import flotilla-bom instead)")
            .isEmpty();
    }

    private List<Snippet> snippets(Path readme) {
        List<String> lines = read(readme);
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher marker = MARKER.matcher(lines.get(i).strip());
            if (!marker.matches()) {
                continue;
            }
            String where = root.relativize(readme) + ":" + (i + 1);
            int fence = i + 1;
            assertThat(fence < lines.size() && lines.get(fence).strip().startsWith("```"))
                .as(where + ": a snippet marker must be followed by a fenced code block").isTrue();
            int end = fence + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            assertThat(end).as(where + ": unterminated code block").isLessThan(lines.size());
            snippets.add(new Snippet(where, marker.group(1), lines.subList(fence + 1, end)));
        }
        return snippets;
    }

    /** Lines without their indentation and trailing blanks; blank lines at both ends dropped. */
    private static List<String> normalize(List<String> lines) {
        List<String> stripped = new ArrayList<>(lines.stream().map(String::strip).toList());
        while (!stripped.isEmpty() && stripped.getFirst().isEmpty()) {
            stripped.removeFirst();
        }
        while (!stripped.isEmpty() && stripped.getLast().isEmpty()) {
            stripped.removeLast();
        }
        return stripped;
    }

    private static boolean containsLines(List<String> file, List<String> snippet) {
        return !snippet.isEmpty() && java.util.Collections.indexOfSubList(file, snippet) >= 0;
    }

    private Stream<Path> readmes() {
        try {
            List<Path> found = new ArrayList<>();
            Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult preVisitDirectory(Path dir,
                        java.nio.file.attribute.BasicFileAttributes attrs) {
                    return SKIPPED_DIRECTORIES.contains(dir.getFileName().toString())
                            ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFile(Path file,
                        java.nio.file.attribute.BasicFileAttributes attrs) {
                    if (file.getFileName().toString().equals("README.md")) {
                        found.add(file);
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
            return found.stream().sorted();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's root: this module is {@code examples/readme-check}. */
    private static Path repositoryRoot() {
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        assertThat(root.resolve("mvnw")).as("the repository root, two levels above examples/readme-check").exists();
        return root;
    }

    private record Snippet(String where, String source, List<String> lines) {
    }
}
