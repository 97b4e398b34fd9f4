package io.github.clientsessions.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.github.clientsessions.core.InvalidInputException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The driver-side rules, without a Spark session; and where Spark may be used. */
class SparkFanOutTest {

  @Test
  void theJobsBudgetIsSplitAcrossExecutors() {
    SparkManagerSpec spec = SparkManagerSpec.builder("Audit").maxAssumeRoleRate(10).build();
    assertThat(spec.executors()).isEqualTo(1);
    assertThat(spec.perExecutorAssumeRoleRate()).hasValue(10.0);
    SparkManagerSpec split = spec.forExecutors(4);
    assertThat(split.perExecutorAssumeRoleRate()).hasValue(2.5);
    assertThat(split.maxAssumeRoleRate()).hasValue(10.0);
    assertThat(split).isNotEqualTo(spec).isEqualTo(spec.forExecutors(4))
        .hasSameHashCodeAs(spec.forExecutors(4));
    assertThat(SparkManagerSpec.builder("Audit").build().perExecutorAssumeRoleRate()).isEmpty();
    assertThatThrownBy(() -> spec.forExecutors(0)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("executors");
  }

  @Test
  void theExecutorCountComesFromTheConfiguration() {
    assertThat(SparkFanOut.executorCount(new SparkConf().setMaster("local[4]"), 1)).isEqualTo(1);
    SparkConf cluster = new SparkConf().setMaster("spark://head:7077");
    assertThat(SparkFanOut.executorCount(cluster.clone(), 5)).as("registered minus the driver")
        .isEqualTo(4);
    assertThat(SparkFanOut.executorCount(cluster.clone(), 1)).isEqualTo(1);
    assertThat(SparkFanOut.executorCount(cluster.clone().set("spark.executor.instances", "8"), 3))
        .isEqualTo(8);
    assertThat(SparkFanOut.executorCount(cluster.clone()
        .set("spark.dynamicAllocation.enabled", "true")
        .set("spark.dynamicAllocation.maxExecutors", "20")
        .set("spark.executor.instances", "2"), 3)).isEqualTo(20);
  }

  @Test
  void badOptionsFailOnTheDriverNamingTheOption() {
    assertThatThrownBy(() -> SparkManagerSpec.builder(" "))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("roleName"));
    assertThatThrownBy(() -> SparkManagerSpec.builder("Audit").maxAssumeRoleRate(-1).build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("maxAssumeRoleRate"));
    assertThatThrownBy(() -> SparkManagerSpec.builder("Audit").externalId("no spaces").build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("externalId");
  }

  @Test
  void theSpecHoldsNoCredentialAndHidesTheExternalId() {
    for (Field f : SparkManagerSpec.class.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        assertThat(f.getType()).as(f.getName())
            .isIn(String.class, Long.class, Double.class, Integer.class, int.class);
        assertThat(f.getName().toLowerCase()).doesNotContain("secret", "token", "credential");
      }
    }
    SparkManagerSpec spec = SparkManagerSpec.builder("Audit").externalId("s3cr3t-ext-id").build();
    assertThat(spec.toString()).contains("Audit").doesNotContain("s3cr3t-ext-id");
  }

  /** The task Spark serializes carries the spec and the function, nothing else. */
  @Test
  void theTaskBodyHoldsOnlyTheSpecAndTheFunction() {
    assertThat(Arrays.stream(PartitionRunner.class.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers())).map(Field::getType))
        .containsExactlyInAnyOrder(SparkManagerSpec.class, SparkTargetFunction.class);
  }

  @Test
  void messagesAreCutAndLoseSecretLikeRuns() {
    String key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"; // 40 characters
    assertThat(PartitionRunner.scrub("denied with " + key + " today"))
        .isEqualTo("denied with [redacted] today");
    assertThat(PartitionRunner.scrub("x".repeat(5000))).hasSizeLessThanOrEqualTo(1000);
    assertThat(PartitionRunner.scrub("Access denied for 123456789012/eu-west-1"))
        .isEqualTo("Access denied for 123456789012/eu-west-1");
    assertThat(PartitionRunner.scrub(null)).isNull();
  }

  /** Spark stays in this module: neither the core nor the AWS adapter may use it. */
  @Test
  void sparkStaysOutOfTheCoreAndTheAwsAdapter() {
    JavaClasses library = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.github.clientsessions.core", "io.github.clientsessions.fanout",
            "io.github.clientsessions.aws");
    assertThat(library.containPackage("io.github.clientsessions.aws")).isTrue();
    assertThat(library.containPackage("io.github.clientsessions.fanout")).isTrue();
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..")
        .check(library);
    JavaClasses spark = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.github.clientsessions.spark");
    classes().that().arePublic().and().areTopLevelClasses()
        .should().haveSimpleNameStartingWith("Spark").check(spark);
  }
}
