package io.github.clientsessions.testkit.aws;

import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Seeds EC2 instances in accounts × regions of any emulator (moto, LocalStack, an endpoint from
 * the environment, {@link SimulatedAws}) in one call, over the wire as a test's own SDK clients
 * would, with nothing but the JDK:
 *
 * <pre>{@code
 * Map<Target, List<String>> ids = InstanceSeeder.on(emulator)
 *     .seed(Map.of(Target.of("111111111111", "eu-west-1"), 2,
 *                  Target.of("222222222222", "us-east-1"), 1));
 * }</pre>
 *
 * <p>Each account is entered with its own {@code AssumeRole} (of {@link #role(String)}, default
 * {@value #DEFAULT_ROLE}), because emulators, like AWS, file what assumed-role credentials
 * create under the role's account (an assumed role's session acts in the account that owns the
 * role: IAM User Guide, "Roles terms and concepts"); then, per target, {@code DescribeImages}
 * finds an Amazon-owned Amazon Linux 2 image, {@code RunInstances} launches the count and, if
 * {@linkplain #stopFirst(boolean) asked}, {@code StopInstances} stops the first one, so that a
 * listing shows more than one state. These calls go through the emulator, so they count in
 * {@link SimulatedAws}'s counters (reset them, or read them as differences, in tests that count
 * calls); the session manager under test is not involved.
 *
 * <p>A failed call throws {@link IllegalStateException} naming the operation, account, region,
 * HTTP status and AWS error code; never credentials.
 *
 * <p>Not thread-safe: configure and seed from one thread. Instances add up across seedings.
 */
public final class InstanceSeeder {

  /** The role assumed in each account unless {@link #role(String)} says otherwise. */
  public static final String DEFAULT_ROLE = "TestkitSeeder";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
  private static final Pattern INSTANCE_ID = Pattern.compile("<instanceId>([^<]+)</instanceId>");
  private static final Pattern IMAGE_ID = Pattern.compile("<imageId>([^<]+)</imageId>");
  private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]+)</Code>");

  private final AwsEmulator emulator;
  private final URI root;
  private String role = DEFAULT_ROLE;
  private Function<String, String> instanceType = account -> "t3.micro";
  private boolean stopFirst;

  private InstanceSeeder(AwsEmulator emulator) {
    this.emulator = Objects.requireNonNull(emulator, "emulator");
    this.root = emulator.endpoint().resolve("/");
  }

  /** A seeder for {@code emulator}, signing with its base credentials. */
  public static InstanceSeeder on(AwsEmulator emulator) {
    return new InstanceSeeder(emulator);
  }

  /** The role name assumed in each account (default {@value #DEFAULT_ROLE}). */
  public InstanceSeeder role(String roleName) {
    if (roleName == null || !roleName.matches("[\\w+=,.@-]{1,64}")) {
      throw new IllegalArgumentException("not an IAM role name: " + roleName);
    }
    this.role = roleName;
    return this;
  }

  /** The instance type of every instance (default {@code t3.micro}). */
  public InstanceSeeder instanceType(String type) {
    Objects.requireNonNull(type, "type");
    return instanceTypes(account -> type);
  }

  /** The instance type of each account's instances, by account ID. */
  public InstanceSeeder instanceTypes(Function<String, String> typeOfAccount) {
    this.instanceType = Objects.requireNonNull(typeOfAccount, "typeOfAccount");
    return this;
  }

  /** Whether the first instance of each target is stopped (default false: all running). */
  public InstanceSeeder stopFirst(boolean stop) {
    this.stopFirst = stop;
    return this;
  }

  /**
   * Launches {@code counts.get(target)} instances in each target (an account ID and a region; a
   * count of 0 launches nothing there), in the map's order.
   *
   * @return the new instance IDs per target, in launch order
   * @throws IllegalArgumentException if a target has no account ID or a negative count
   * @throws IllegalStateException if the emulator refuses a call
   * @throws UncheckedIOException if the emulator cannot be reached
   */
  public Map<Target, List<String>> seed(Map<Target, Integer> counts) {
    for (Map.Entry<Target, Integer> e : counts.entrySet()) {
      if (e.getKey().account().id().isEmpty() || e.getValue() < 0) {
        throw new IllegalArgumentException("a seeded target needs an account ID and a count of"
            + " at least 0, not " + e.getKey() + " x " + e.getValue());
      }
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TIMEOUT).build();
    Map<String, Keys> entered = new LinkedHashMap<>();
    Keys base = new Keys(emulator.accessKeyId(), emulator.secretAccessKey(), null);
    Map<Target, List<String>> seeded = new LinkedHashMap<>();
    for (Map.Entry<Target, Integer> e : counts.entrySet()) {
      Target target = e.getKey();
      String account = target.account().id().orElseThrow();
      if (e.getValue() == 0) {
        seeded.put(target, List.of());
        continue;
      }
      Keys keys = entered.computeIfAbsent(account, a -> assumeRole(http, base, a));
      seeded.put(target, launch(http, keys, account, target.region(), e.getValue()));
    }
    return seeded;
  }

  private Keys assumeRole(HttpClient http, Keys base, String account) {
    String arn = "arn:aws:iam::" + account + ":role/" + role;
    // STS's regional endpoint in us-east-1, a default region: its credentials are valid in
    // every region the account enabled (IAM User Guide, "Manage AWS STS in an AWS Region")
    String body = call(http, base, "us-east-1", "sts", "AssumeRole", account, "us-east-1",
        "Action=AssumeRole&Version=2011-06-15&RoleArn=" + encode(arn)
            + "&RoleSessionName=testkit-seeder");
    return new Keys(element(body, "AccessKeyId"), element(body, "SecretAccessKey"),
        element(body, "SessionToken"));
  }

  private List<String> launch(HttpClient http, Keys keys, String account, String region,
      int count) {
    String images = call(http, keys, region, "ec2", "DescribeImages", account, region,
        "Action=DescribeImages&Version=2016-11-15&Owner.1=amazon&Filter.1.Name=name"
            + "&Filter.1.Value.1=" + encode("amzn2-ami-hvm-*"));
    Matcher image = IMAGE_ID.matcher(images);
    if (!image.find()) {
      image = IMAGE_ID.matcher(call(http, keys, region, "ec2", "DescribeImages", account, region,
          "Action=DescribeImages&Version=2016-11-15&Owner.1=amazon"));
      if (!image.find()) {
        throw new IllegalStateException("the emulator at " + root + " knows no Amazon-owned"
            + " image to launch in " + account + "/" + region);
      }
    }
    String run = call(http, keys, region, "ec2", "RunInstances", account, region,
        "Action=RunInstances&Version=2016-11-15&ImageId=" + encode(image.group(1))
            + "&InstanceType=" + encode(instanceType.apply(account)) + "&MinCount=" + count
            + "&MaxCount=" + count);
    List<String> ids = new ArrayList<>();
    Matcher id = INSTANCE_ID.matcher(run);
    while (id.find()) {
      ids.add(id.group(1));
    }
    if (ids.size() != count) {
      throw new IllegalStateException("RunInstances in " + account + "/" + region + " at " + root
          + " launched " + ids.size() + " instances, not " + count);
    }
    if (stopFirst) {
      call(http, keys, region, "ec2", "StopInstances", account, region,
          "Action=StopInstances&Version=2016-11-15&InstanceId.1=" + encode(ids.get(0)));
    }
    return List.copyOf(ids);
  }

  /** One signed query-protocol POST; the answer's body, or an exception naming the call. */
  private String call(HttpClient http, Keys keys, String signingRegion, String service,
      String operation, String account, String region, String form) {
    byte[] body = form.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = SigV4.sign(keys.accessKey(), keys.secret(), keys.token(),
        signingRegion, service, root.getRawAuthority(), FORM, null, body, Instant.now());
    HttpRequest.Builder request = HttpRequest.newBuilder(root).timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(operation + " in " + account + "/" + region + " could not"
          + " reach the emulator at " + root, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(operation + " in " + account + "/" + region
          + " was interrupted", e);
    }
    if (response.statusCode() != 200) {
      Matcher code = ERROR_CODE.matcher(response.body());
      throw new IllegalStateException(operation + " in " + account + "/" + region + " at "
          + root + " failed: HTTP " + response.statusCode()
          + (code.find() ? " " + code.group(1) : ""));
    }
    return response.body();
  }

  private static String element(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
    if (!m.find()) {
      throw new IllegalStateException("AssumeRole answered without " + name);
    }
    return m.group(1);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Signing credentials; never printed. */
  private record Keys(String accessKey, String secret, @Nullable String token) {
    @Override
    public String toString() {
      return "Keys[" + accessKey + "]";
    }
  }
}
