package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.aws.ManagerSpec.Option;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.ThreadAffinity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The one options spec: its rules, its text forms, its serialized form and its documentation. */
class ManagerSpecTest {

  @Test
  void theDefaultsAreTheNamedConstants() {
    ManagerSpec d = ManagerSpec.defaults();
    assertThat(d.roleName()).isNull();
    assertThat(d.sessionName()).isEqualTo(ManagerSpec.DEFAULT_SESSION_NAME).isEqualTo("default");
    assertThat(d.rolePath()).isEqualTo(ManagerSpec.DEFAULT_ROLE_PATH);
    assertThat(d.duration()).isEqualTo(Duration.ofSeconds(ManagerSpec.DEFAULT_DURATION_SECONDS));
    assertThat(d.defaultRegion()).isEqualTo("eu-west-1");
    assertThat(d.stsRegion()).as("the default region's").isEqualTo("eu-west-1");
    assertThat(d.partition()).isEqualTo("aws");
    assertThat(d.threadAffinity()).isSameAs(ThreadAffinity.perThreadName());
    assertThat(d.refreshPolicy()).isEqualTo(RefreshPolicy.defaults());
    assertThat(d.maxConcurrentAssumeRole()).isEqualTo(ManagerSpec.DEFAULT_MAX_CONCURRENT_ASSUME_ROLE);
    assertThat(d.maxAssumeRoleRate()).isEqualTo(ManagerSpec.DEFAULT_MAX_ASSUME_ROLE_RATE);
    assertThat(d.tags()).isEmpty();
    assertThat(ManagerSpec.options()).allSatisfy(o -> assertThat(d.isSet(o)).isFalse());
  }

  @Test
  void eachOptionIsSetOnceAndCheckedByItsRule() {
    assertThatThrownBy(() -> ManagerSpec.builder().roleName("A").roleName("B"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("roleName was already set");
    assertThatThrownBy(() -> ManagerSpec.builder().maxConcurrentAssumeRole(0))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("maxConcurrentAssumeRole"));
    assertThatThrownBy(() -> ManagerSpec.builder().set(ManagerSpec.ROLE_NAME, null))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("roleName"));
    assertThatThrownBy(() -> ManagerSpec.builder().prefetchWindow(Duration.ofMinutes(1))
        .refreshPolicy(RefreshPolicy.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refreshPolicy was already set");
  }

  @Test
  void optionsAreCheckedTogetherAtBuild() {
    assertThatThrownBy(() -> ManagerSpec.builder().staleWindow(Duration.ofMinutes(10)).build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("prefetchWindow"));
    assertThatThrownBy(() -> ManagerSpec.builder().hubRole("arn:aws:iam::999999999999:role/Hub")
        .duration(Duration.ofHours(2)).build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("duration"));
    assertThatThrownBy(() -> ManagerSpec.builder().stsRegion("cn-north-1")
        .hubRole("arn:aws:iam::999999999999:role/Hub").build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.getMessage()).contains("partition aws-cn"));
    assertThatThrownBy(() -> ManagerSpec.builder().tags(Map.of("team", "x"))
        .transitiveTagKeys(Set.of("project")).build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("transitiveTagKeys"));
  }

  @Test
  void optionsReadFromTextAsPropertiesWriteThem() {
    assertThat(ManagerSpec.PREFETCH_WINDOW.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(ManagerSpec.PREFETCH_WINDOW.parse("PT10M")).isEqualTo(Duration.ofMinutes(10));
    assertThat(ManagerSpec.REFRESH_TIMEOUT.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ManagerSpec.REFRESH_TIMEOUT.parse("30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(ManagerSpec.THREAD_AFFINITY.parse("shared")).isSameAs(ThreadAffinity.shared());
    assertThat(ManagerSpec.THREAD_AFFINITY.parse("PER_THREAD_NAME"))
        .isSameAs(ThreadAffinity.perThreadName());
    assertThat(ManagerSpec.TRANSITIVE_TAG_KEYS.parse("team, project"))
        .containsExactlyInAnyOrder("team", "project");
    assertThat(ManagerSpec.MAX_ASSUME_ROLE_RATE.parse("50.5")).isEqualTo(50.5);
    assertThatThrownBy(() -> ManagerSpec.REFRESH_TIMEOUT.parse("soon"))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("refreshTimeout"));
    assertThatThrownBy(() -> ManagerSpec.THREAD_AFFINITY.parse("per-account"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("shared");
  }

  @Test
  void aSpecSerializesByOptionNameAndReadsBackThroughTheRules() throws Exception {
    ManagerSpec spec = ManagerSpec.builder().roleName("Audit").externalId("s3cr3t-ext")
        .tags(Map.of("team", "platform")).transitiveTagKeys(Set.of("team"))
        .threadAffinity(ThreadAffinity.shared()).prefetchWindow(Duration.ofMinutes(10)).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(spec);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      ManagerSpec read = (ManagerSpec) in.readObject();
      assertThat(read).isEqualTo(spec).hasSameHashCodeAs(spec);
      assertThat(read.threadAffinity()).isSameAs(ThreadAffinity.shared());
    }
    assertThat(spec.toString()).contains("roleName=Audit", "externalId=***")
        .doesNotContain("s3cr3t-ext");
  }

  @Test
  void theManagerBuiltFromASpecHasIt() {
    ManagerSpec spec = ManagerSpec.builder().roleName("Audit").defaultRegion("eu-west-3")
        .maxAssumeRoleRate(100).build();
    try (AwsSessionManager sm = AwsSessionManager.builder().spec(spec).build()) {
      assertThat(sm.spec()).isEqualTo(spec);
      assertThat(sm.defaultRegion()).isEqualTo("eu-west-3");
      assertThat(sm.roleArn("123456789012")).isEqualTo("arn:aws:iam::123456789012:role/Audit");
    }
    assertThat(spec.toBuilder().sessionName("other").build().sessionName()).isEqualTo("other");
  }

  /** docs/defaults.md lists every option, its property and its default, as the spec has them. */
  @Test
  void theOptionsPageListsEveryOption() throws IOException {
    String page = Files.readString(Path.of("..", "docs", "defaults.md"));
    Matcher row = Pattern.compile("^\\| `(\\w+)` \\| `clientsessions\\.([\\w.-]+)` \\|", Pattern.MULTILINE)
        .matcher(page);
    List<String> documented = new java.util.ArrayList<>();
    while (row.find()) {
      documented.add(row.group(1) + "=" + row.group(2));
    }
    List<String> options = ManagerSpec.options().stream().map(o -> o.name() + "=" + o.key())
        .toList();
    assertThat(documented).as("docs/defaults.md's table, in the spec's order")
        .containsExactlyElementsOf(options);
    Set<String> keys = new HashSet<>();
    for (Option<?> option : ManagerSpec.options()) {
      assertThat(keys.add(option.key())).as("unique key " + option.key()).isTrue();
      assertThat(option.description()).as(option.name()).hasSizeGreaterThan(20);
    }
  }
}
