package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Java blocks of the README and of the docs are, in order, snippets that tests compile and
 * run ({@link ReadmeExampleIT}, and the examples' {@code InstanceCountIT} for the testkit), so the
 * documentation's code cannot rot.
 */
class ReadmeSnippetTest {

  static final Path EXAMPLE_IT =
      Path.of("src/test/java/io/github/clientsessions/aws/ReadmeExampleIT.java");
  static final Path DOWNSTREAM_IT = Path.of(
      "../examples/src/test/java/io/github/clientsessions/examples/downstream/InstanceCountIT.java");

  @Test
  void readmeShowsTheSnippetsThatTheTestsRun() throws IOException {
    List<String> snippets = new ArrayList<>(snippets(EXAMPLE_IT, "README"));
    snippets.addAll(snippets(DOWNSTREAM_IT, "README"));
    assertThat(snippets).hasSize(5);
    assertThat(javaBlocks(Path.of("..", "README.md"))).isEqualTo(snippets);
  }

  @Test
  void theModuleReadmeShowsThePermissionSetSnippetOfTheReadme() throws IOException {
    String permissionSet = snippets(EXAMPLE_IT, "README").stream()
        .filter(s -> s.contains(".permissionSet(")).findFirst().orElseThrow();
    assertThat(javaBlocks(Path.of("README.md"))).contains(permissionSet);
  }

  @Test
  void theVirtualThreadsPageShowsTheAsyncSnippetThatReadmeExampleItRuns() throws IOException {
    List<String> snippets = snippets(EXAMPLE_IT, "docs/virtual-threads.md");
    assertThat(snippets).hasSize(1);
    assertThat(javaBlocks(Path.of("..", "docs", "virtual-threads.md"))).isEqualTo(snippets);
  }

  /** The {@code java} blocks of a Markdown file, stripped. */
  static List<String> javaBlocks(Path markdown) throws IOException {
    List<String> shown = new ArrayList<>();
    Matcher blocks = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(markdown));
    while (blocks.find()) {
      shown.add(blocks.group(1).strip());
    }
    return shown;
  }

  /** The text between {@code // WHERE snippet: begin} and {@code end} markers, unindented once. */
  static List<String> snippets(Path source, String where) throws IOException {
    List<String> snippets = new ArrayList<>();
    Matcher marked = Pattern.compile("// " + Pattern.quote(where) + " snippet: begin\n(.*?)// "
        + Pattern.quote(where) + " snippet: end", Pattern.DOTALL).matcher(Files.readString(source));
    while (marked.find()) {
      String block = marked.group(1);
      boolean indented = block.lines().filter(l -> !l.isBlank()).allMatch(l -> l.startsWith("  "));
      snippets.add(block.lines()
          .map(line -> indented && line.startsWith("  ") ? line.substring(2) : line)
          .collect(Collectors.joining("\n")).strip());
    }
    return snippets;
  }
}
