package io.github.clientsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.aws.ManagerSpec.Option;
import io.github.clientsessions.core.ThreadAffinity;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The jar's configuration metadata, which IDEs complete and document the keys from: every
 * property the starter reads is in it, with a description, and nothing else is. The manager's
 * options come from {@link ManagerSpec#options()} through
 * {@code META-INF/additional-spring-configuration-metadata.json}, which must say exactly what the
 * spec says: run this test with {@code -Dclientsessions.writeMetadata=true} to write it anew after
 * adding an option.
 */
class ConfigurationMetadataTest {

  static final Path ADDITIONAL =
      Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");

  @Test
  void everyPropertyIsDescribedInTheMetadata() throws IOException {
    Map<String, String> described = entries(resource("META-INF/spring-configuration-metadata.json"));
    Set<String> expected = new java.util.TreeSet<>(Set.of("clientsessions.metrics.name",
        "clientsessions.metrics.sdk.enabled",
        "clientsessions.health.failure-window", "clientsessions.health.max-accounts-shown",
        "clientsessions.health.down-share", "clientsessions.health.caller-caused-kinds"));
    ManagerSpec.options().forEach(o -> expected.add(ManagerFromProperties.property(o)));
    assertThat(described.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(described).allSatisfy((name, body) ->
        assertThat(body).as(name).containsPattern("\"description\": \"[^\"]{10,}"));
    assertThat(described.get("clientsessions.duration")).contains("java.time.Duration");
  }

  @Test
  void theManagersOptionsAreDocumentedAsTheSpecStatesThem() throws IOException {
    String expected = additionalMetadata();
    if (Boolean.getBoolean("clientsessions.writeMetadata")) {
      Files.writeString(ADDITIONAL, expected);
    }
    assertThat(Files.readString(ADDITIONAL))
        .as(ADDITIONAL + " says what ManagerSpec.options() says; rerun this test with"
            + " -Dclientsessions.writeMetadata=true to write it")
        .isEqualTo(expected);
  }

  /** The metadata of the spec's options, in the form Spring Boot's processor merges. */
  static String additionalMetadata() {
    StringBuilder json = new StringBuilder("{\n  \"properties\": [");
    String sep = "\n";
    for (Option<?> option : ManagerSpec.options()) {
      json.append(sep).append("    {\n")
          .append("      \"name\": \"").append(ManagerFromProperties.property(option)).append("\",\n")
          .append("      \"type\": \"").append(typeName(option)).append("\",\n")
          .append("      \"description\": \"").append(escape(option.description())).append('"');
      String defaultValue = defaultValue(option.defaultValue());
      if (defaultValue != null) {
        json.append(",\n      \"defaultValue\": ").append(defaultValue);
      }
      json.append("\n    }");
      sep = ",\n";
    }
    json.append("\n  ],\n  \"hints\": [\n    {\n      \"name\": \"")
        .append(ManagerFromProperties.property(ManagerSpec.THREAD_AFFINITY))
        .append("\",\n      \"values\": [");
    sep = "\n";
    for (String value : new String[] {"per-thread-name", "per-thread-name-including-virtual",
        "shared"}) {
      json.append(sep).append("        { \"value\": \"").append(value).append("\" }");
      sep = ",\n";
    }
    return json.append("\n      ]\n    }\n  ]\n}\n").toString();
  }

  private static String typeName(Option<?> option) {
    if (option.type() == Map.class) {
      return "java.util.Map<java.lang.String,java.lang.String>";
    }
    if (option.type() == Set.class) {
      return "java.util.Set<java.lang.String>";
    }
    // a thread affinity is written as its name
    return option.type() == ThreadAffinity.class ? "java.lang.String" : option.type().getName();
  }

  /** A default as JSON, in the form a property takes it; null for none. */
  private static String defaultValue(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Number) {
      return value.toString();
    }
    if (value instanceof Duration d) {
      return "\"" + (d.toSeconds() % 3600 == 0 ? d.toHours() + "h"
          : d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s") + "\"";
    }
    if (value instanceof ThreadAffinity) {
      return "\"per-thread-name\""; // the only default affinity
    }
    if (value instanceof String || value instanceof URI) {
      return "\"" + escape(value.toString()) + "\"";
    }
    throw new AssertionError("no JSON form for a default of " + value.getClass());
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private String resource(String name) throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name + ", generated by spring-boot-configuration-processor").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Each property entry of a metadata file, by name. */
  private static Map<String, String> entries(String json) {
    String properties = json.substring(json.indexOf("\"properties\""), json.indexOf("\"hints\"") > 0
        ? json.indexOf("\"hints\"") : json.length());
    Matcher entry = Pattern.compile("\\{\\s*\"name\": \"(clientsessions\\.[^\"]+)\",(.*?)}",
        Pattern.DOTALL).matcher(properties);
    Map<String, String> described = new LinkedHashMap<>();
    while (entry.find()) {
      described.put(entry.group(1), entry.group(2));
    }
    return described;
  }
}
