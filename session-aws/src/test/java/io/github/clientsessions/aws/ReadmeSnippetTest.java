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
 * The README's Java blocks are, in order, the snippets that {@link ReadmeExampleIT} compiles and
 * runs against moto, so the README's code cannot rot.
 */
class ReadmeSnippetTest {

  @Test
  void readmeShowsTheSnippetsThatReadmeExampleItRuns() throws IOException {
    List<String> shown = new ArrayList<>();
    Matcher blocks = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(Path.of("..", "README.md")));
    while (blocks.find()) {
      shown.add(blocks.group(1).strip());
    }

    List<String> snippets = new ArrayList<>();
    Matcher marked = Pattern.compile("// README snippet: begin\n(.*?)// README snippet: end",
        Pattern.DOTALL).matcher(Files.readString(
            Path.of("src/test/java/io/github/clientsessions/aws/ReadmeExampleIT.java")));
    while (marked.find()) {
      snippets.add(marked.group(1).lines()
          .map(line -> line.startsWith("  ") ? line.substring(2) : line)
          .collect(Collectors.joining("\n")).strip());
    }

    assertThat(snippets).hasSize(3);
    assertThat(shown).isEqualTo(snippets);
  }
}
