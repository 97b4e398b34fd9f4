package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's first Java block is the snippet that {@link ReadmeExampleIT} compiles and runs
 * against moto, so the README's code cannot rot.
 */
class ReadmeSnippetTest {

  @Test
  void readmeShowsTheSnippetThatReadmeExampleItRuns() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```java\n") + "```java\n".length();
    String shown = readme.substring(start, readme.indexOf("```", start)).strip();

    String source = Files.readString(
        Path.of("src/test/java/io/github/clientsessions/aws/ReadmeExampleIT.java"));
    String marked = source.substring(source.indexOf("// README snippet: begin"),
        source.indexOf("// README snippet: end"));
    String snippet = marked.lines().skip(1)
        .map(line -> line.startsWith("  ") ? line.substring(2) : line)
        .collect(Collectors.joining("\n")).strip();

    assertThat(shown).isEqualTo(snippet);
  }
}
