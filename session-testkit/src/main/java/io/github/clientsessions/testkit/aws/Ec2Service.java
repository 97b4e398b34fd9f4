package io.github.clientsessions.testkit.aws;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * EC2 of {@link SimulatedAws}: the instances of each (account, region), which the caller's
 * {@code RunInstances}, {@code StopInstances}, {@code TerminateInstances} and
 * {@code DescribeInstances} see and change in its own account and signed region only; the
 * regions {@code DescribeRegions} lists, with each one's opt-in status for the caller's account
 * ({@link Regions}); the one image {@code DescribeImages} lists; and, when the script turns them
 * on, EC2's request limits ({@link RequestBucket}).
 *
 * <p>Sources: each operation's page in the Amazon EC2 API Reference
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/, the same text as the EC2 service
 * model, {@code botocore/data/ec2/2016-11-15/service-2.json}, and its examples,
 * {@code examples-1.json}); the error codes from "Error codes for the Amazon EC2 API"
 * (errors-overview.html). Each answer's XML follows the EC2 query protocol (Smithy's
 * {@code aws.protocols#ec2Query}), the shape the SDK's {@code Ec2Client} parses.
 *
 * <p>Concurrency: each (account, region) keeps its instances in a copy-on-write list, so a
 * {@code DescribeInstances} reads a consistent snapshot while others launch or change
 * instances; a state change replaces one instance at a time, and two changes of the same
 * instance race (the last one wins, and may report a stale previous state). The regions listed
 * are an immutable list in a volatile field.
 */
final class Ec2Service implements SimulatedService {
  private static final Pattern INDEXED = Pattern.compile("InstanceId\\.\\d+");
  private static final String IMAGE_NAME = "amzn2-ami-hvm-2.0.20240131.0-x86_64-gp2";
  private static final String IMAGE_OWNER = "137112412989";
  /** The most instances one RunInstances launches here: the simulator's quota, its own choice. */
  private static final int MAX_RUN = 1000;

  private final Replies replies;
  private final FaultScript script;
  private final Regions optIn;
  private final Map<String, List<Instance>> instances = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  // volatile: replaced whole by a test's thread, read per DescribeRegions
  private volatile List<String> regions = Regions.COMMERCIAL;

  Ec2Service(Replies replies, Regions optIn, FaultScript script) {
    this.replies = replies;
    this.optIn = optIn;
    this.script = script;
  }

  /**
   * EC2's request token buckets, as the AWS page "Request throttling for the Amazon EC2 API"
   * (Amazon EC2 Developer Guide, section "Request token bucket sizes and refill rates") gives
   * them: EC2 throttles each account per region, each API action evaluated individually, a
   * request taking one token from its action's bucket of its category's size. Only the
   * categories of the actions served are here; the resource token buckets of {@code
   * RunInstances}, {@code StopInstances} and {@code TerminateInstances} (tokens per instance) are
   * not modelled.
   */
  enum RequestBucket {
    /** {@code Describe*}, {@code List*}, {@code Search*}, {@code Get*}: 100 tokens, 20 a second. */
    NON_MUTATING(100, 20),
    /**
     * {@code DescribeInstances} (and a few other {@code Describe*}) asked without a filter and
     * without pagination take from a smaller bucket: 50 tokens, 10 a second.
     */
    UNFILTERED_AND_UNPAGINATED(50, 10),
    /** Actions that create, modify or delete: 50 tokens, 5 a second. */
    MUTATING(50, 5);

    final int capacity;
    final double refillPerSecond;

    RequestBucket(int capacity, double refillPerSecond) {
      this.capacity = capacity;
      this.refillPerSecond = refillPerSecond;
    }

    /**
     * The bucket of a request. The page names pagination ({@code MaxResults}, {@code
     * NextToken}) and filters ({@code Filter.N}) as what moves {@code DescribeInstances} to the
     * standard bucket; instance IDs are neither, so a request by IDs counts as unfiltered (a
     * reading of the page, which does not name IDs).
     */
    static RequestBucket of(Operation op, Map<String, String> params) {
      return switch (op) {
        case EC2_RUN_INSTANCES, EC2_STOP_INSTANCES, EC2_TERMINATE_INSTANCES -> MUTATING;
        case EC2_DESCRIBE_INSTANCES -> params.keySet().stream().anyMatch(k -> k.startsWith("Filter.")
            || k.equals("MaxResults") || k.equals("NextToken"))
            ? NON_MUTATING : UNFILTERED_AND_UNPAGINATED;
        default -> NON_MUTATING;
      };
    }
  }

  /** One simulated EC2 instance. */
  private record Instance(String id, String reservation, String type, String state,
      String region, String image) {
    Instance withState(String next) {
      return new Instance(id, reservation, type, next, region, image);
    }
  }

  /** Creates one instance per state in {@code account} and {@code region}, in one reservation. */
  List<String> addInstances(String account, String region, String instanceType,
      String... states) {
    return launch(account, region, instanceType, SimulatedAws.IMAGE_ID, states).stream()
        .map(Instance::id).toList();
  }

  /** The regions {@code DescribeRegions} knows (it lists those enabled for the caller). */
  void regions(List<String> known) {
    this.regions = List.copyOf(known);
  }

  /** Forgets every instance, and knows every commercial region again. */
  void reset() {
    instances.clear();
    regions = Regions.COMMERCIAL;
  }

  @Override
  public Operation.Service service() {
    return Operation.Service.EC2;
  }

  @Override
  public Answer answer(Call call) {
    RequestBucket bucket = RequestBucket.of(call.op(), call.params());
    if (!script.ec2RequestAllowed(call.account(), call.region(), call.op().action(),
        bucket.name(), bucket.capacity, bucket.refillPerSecond)) {
      // As EC2 answers a throttled request: HTTP 503, RequestLimitExceeded (the page above:
      // "If you exceed an API throttling limit, you get the RequestLimitExceeded error code";
      // status and message as clients report them, e.g. the AWS SDK for Java's
      // "Request limit exceeded. (Service: AmazonEC2; Status Code: 503; Error Code:
      // RequestLimitExceeded ...)" quoted in cloudfoundry/bosh-aws-cpi-release issue 61).
      return replies.error(call.op(), 503, "RequestLimitExceeded", "Request limit exceeded.");
    }
    return switch (call.op()) {
      case EC2_DESCRIBE_INSTANCES -> describeInstances(call);
      case EC2_DESCRIBE_REGIONS -> describeRegions(call);
      case EC2_RUN_INSTANCES -> runInstances(call);
      case EC2_STOP_INSTANCES, EC2_TERMINATE_INSTANCES -> changeState(call);
      case EC2_DESCRIBE_IMAGES -> describeImages(call);
      default -> throw new IllegalArgumentException("not an EC2 operation: " + call.op());
    };
  }

  private List<Instance> launch(String account, String region, String instanceType,
      String image, String... states) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(instanceType, "instanceType");
    String reservation = String.format("r-%017x", ids.incrementAndGet());
    List<Instance> created = new ArrayList<>();
    for (String state : states) {
      created.add(new Instance(String.format("i-%017x", ids.incrementAndGet()), reservation,
          instanceType, Objects.requireNonNull(state, "state"), region, image));
    }
    instances.computeIfAbsent(key(account, region), k -> new CopyOnWriteArrayList<>())
        .addAll(created);
    return created;
  }

  /** The instances of {@code account} in {@code region}, in the order launched. */
  private List<Instance> instancesOf(String account, String region) {
    return instances.getOrDefault(key(account, region), List.of());
  }

  private static String key(String account, String region) {
    return account + "|" + region;
  }

  /**
   * The caller's instances in the signed region, or those named {@code InstanceId.N}: EC2
   * resources belong to one account and one region ("Regions and Zones", EC2 User Guide: "Amazon
   * EC2 resources are specific to the AWS Region"). Filters and pagination are the simulator's
   * gap, refused rather than ignored.
   */
  private Answer describeInstances(Call call) {
    Map<String, String> params = call.params();
    for (String key : params.keySet()) {
      if (key.startsWith("Filter.") || key.equals("NextToken") || key.equals("MaxResults")) {
        return replies.error(call.op(), 400, "InvalidParameterValue",
            "the simulator does not support " + key + " in DescribeInstances");
      }
    }
    Set<String> wanted = new HashSet<>();
    params.forEach((k, v) -> {
      if (INDEXED.matcher(k).matches()) {
        wanted.add(v);
      }
    });
    List<Instance> here = instancesOf(call.account(), call.region());
    StringBuilder b = new StringBuilder(256 + 400 * here.size());
    b.append("<DescribeInstancesResponse xmlns=\"").append(Wire.EC2_NS).append("\">\n")
        .append("  <requestId>").append(replies.requestId())
        .append("</requestId>\n  <reservationSet>");
    String openReservation = null;
    for (Instance i : here) {
      if (!wanted.isEmpty() && !wanted.contains(i.id())) {
        continue;
      }
      if (!i.reservation().equals(openReservation)) {
        if (openReservation != null) {
          b.append("</instancesSet></item>");
        }
        openReservation = i.reservation();
        b.append("\n    <item><reservationId>").append(i.reservation())
            .append("</reservationId><ownerId>").append(call.account())
            .append("</ownerId><groupSet/><instancesSet>");
      }
      b.append("<item><instanceId>").append(i.id()).append("</instanceId>")
          .append("<imageId>").append(i.image()).append("</imageId><instanceState><code>")
          .append(stateCode(i.state()))
          .append("</code><name>").append(Wire.xml(i.state())).append("</name></instanceState>")
          .append("<instanceType>").append(Wire.xml(i.type())).append("</instanceType>")
          .append("<placement><availabilityZone>").append(i.region())
          .append("a</availabilityZone></placement></item>");
    }
    if (openReservation != null) {
      b.append("</instancesSet></item>");
    }
    b.append("\n  </reservationSet>\n</DescribeInstancesResponse>\n");
    return Answer.xml(200, b.toString());
  }

  /**
   * {@code DescribeRegions} as the EC2 API Reference documents it
   * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html): the
   * regions enabled for the caller's account, or all of them with {@code AllRegions=true}, or
   * those named by {@code RegionName.N} ("whether they are enabled and disabled for your
   * account"); filtered by {@code region-name}, {@code endpoint} and {@code opt-in-status}, whose
   * values are {@code opt-in-not-required}, {@code opted-in} and {@code not-opted-in}; each
   * region's endpoint {@code ec2.REGION.amazonaws.com}, as in the reference's example.
   */
  private Answer describeRegions(Call call) {
    Map<String, String> params = call.params();
    List<String> known = regions;
    List<String> named = Wire.indexed(params, "RegionName");
    List<String> unknown = named.stream().filter(r -> !known.contains(r)).toList();
    if (!unknown.isEmpty()) { // the code is EC2's for a bad value; the message a guess
      return replies.error(call.op(), 400, "InvalidParameterValue",
          "Invalid region names: " + Wire.xml(String.join(", ", unknown)));
    }
    boolean all = "true".equalsIgnoreCase(params.get("AllRegions"));
    List<String[]> filters = new ArrayList<>(); // name, then its values as regular expressions
    for (int n = 1; params.containsKey("Filter." + n + ".Name"); n++) {
      String name = params.getOrDefault("Filter." + n + ".Name", "");
      if (!List.of("region-name", "endpoint", "opt-in-status").contains(name)) {
        // the three filters the reference documents; EC2's answer to any other (a guess)
        return replies.error(call.op(), 400, "InvalidParameterValue",
            "The filter '" + Wire.xml(name) + "' is invalid");
      }
      List<String> values = Wire.indexed(params, "Filter." + n + ".Value");
      List<String> filter = new ArrayList<>(List.of(name));
      values.forEach(v -> filter.add(glob(v)));
      filters.add(filter.toArray(String[]::new));
    }
    StringBuilder b = new StringBuilder(128 + 160 * known.size());
    b.append("<DescribeRegionsResponse xmlns=\"").append(Wire.EC2_NS).append("\">\n")
        .append("  <requestId>").append(replies.requestId()).append("</requestId>\n  <regionInfo>");
    for (String r : named.isEmpty() ? known : named) {
      String status = !Regions.isOptIn(r) ? "opt-in-not-required"
          : optIn.isEnabled(call.account(), r) ? "opted-in" : "not-opted-in";
      String endpoint = "ec2." + r + ".amazonaws.com";
      boolean listed = !named.isEmpty() || all || !status.equals("not-opted-in");
      for (String[] f : filters) {
        String value = switch (f[0]) {
          case "region-name" -> r;
          case "endpoint" -> endpoint;
          default -> status;
        };
        boolean any = false;
        for (int i = 1; i < f.length; i++) {
          any |= value.matches(f[i]);
        }
        listed &= any;
      }
      if (listed) {
        b.append("\n    <item><regionName>").append(r).append("</regionName><regionEndpoint>")
            .append(endpoint).append("</regionEndpoint><optInStatus>").append(status)
            .append("</optInStatus></item>");
      }
    }
    b.append("\n  </regionInfo>\n</DescribeRegionsResponse>\n");
    return Answer.xml(200, b.toString());
  }

  /**
   * An instance state's code: "0 : pending, 16 : running, 32 : shutting-down, 48 : terminated,
   * 64 : stopping, 80 : stopped" (EC2 API Reference, InstanceState); 0 for a state a test
   * invented.
   */
  private static String stateCode(String state) {
    return switch (state) {
      case "pending" -> "0";
      case "running" -> "16";
      case "shutting-down" -> "32";
      case "terminated" -> "48";
      case "stopping" -> "64";
      case "stopped" -> "80";
      default -> "0";
    };
  }

  /**
   * Launches {@code MaxCount} instances for the caller in the signed region: answered
   * {@code pending} (the RunInstances reference's example) and listed {@code running} from then
   * on (the simulator skips the time it takes). {@code ImageId} is required ("An AMI ID is
   * required to launch an instance", RunInstances; {@code MissingParameter}); a malformed one is
   * {@code InvalidAMIID.Malformed}, with the message EC2 gives (a guess in its wording); any
   * well-formed one launches, as in moto. {@code MinCount} and {@code MaxCount}: "Between 1 and
   * the quota for the specified instance type", refused with {@code InvalidParameterValue} (the
   * message is a guess); the simulator's quota is {@value #MAX_RUN} for every type, and it always
   * has the capacity for {@code MaxCount}.
   */
  private Answer runInstances(Call call) {
    Operation op = call.op();
    Map<String, String> params = call.params();
    String image = params.get("ImageId");
    if (image == null || image.isEmpty()) {
      return replies.error(op, 400, "MissingParameter",
          "The request must contain the parameter ImageId");
    }
    if (!image.matches("ami-(?:[0-9a-f]{8}|[0-9a-f]{17})")) {
      return replies.error(op, 400, "InvalidAMIID.Malformed",
          "Invalid id: \"" + Wire.xml(image) + "\" (expecting \"ami-...\")");
    }
    int min;
    int max;
    try {
      min = Integer.parseInt(params.getOrDefault("MinCount", ""));
      max = Integer.parseInt(params.getOrDefault("MaxCount", ""));
    } catch (NumberFormatException e) {
      return replies.error(op, 400, "MissingParameter",
          "The request must contain the parameters MinCount and MaxCount");
    }
    if (min < 1 || max < min || max > MAX_RUN) {
      return replies.error(op, 400, "InvalidParameterValue",
          "MinCount and MaxCount must be from 1 to " + MAX_RUN + ", MinCount <= MaxCount, not "
              + min + " and " + max);
    }
    String type = params.getOrDefault("InstanceType", "m1.small");
    String[] states = new String[max];
    Arrays.fill(states, "running");
    List<Instance> created = launch(call.account(), call.region(), type, image, states);
    StringBuilder b = new StringBuilder(256 + 300 * max);
    b.append("<RunInstancesResponse xmlns=\"").append(Wire.EC2_NS).append("\">\n  <requestId>")
        .append(replies.requestId()).append("</requestId>\n  <reservationId>")
        .append(created.get(0).reservation()).append("</reservationId>\n  <ownerId>")
        .append(call.account()).append("</ownerId>\n  <groupSet/>\n  <instancesSet>");
    for (Instance i : created) {
      b.append("\n    <item><instanceId>").append(i.id()).append("</instanceId><imageId>")
          .append(image).append("</imageId><instanceState><code>0</code><name>pending</name>"
              + "</instanceState><instanceType>").append(Wire.xml(type))
          .append("</instanceType><placement><availabilityZone>").append(call.region())
          .append("a</availabilityZone></placement></item>");
    }
    b.append("\n  </instancesSet>\n</RunInstancesResponse>\n");
    return Answer.xml(200, b.toString());
  }

  /**
   * Stops or terminates the caller's instances named {@code InstanceId.N} in the signed region.
   * The answer's current state is the transition, {@code stopping} or {@code shutting-down}, as
   * in the StopInstances and TerminateInstances references' examples; the instance is
   * {@code stopped} or {@code terminated} from then on (the simulator skips the time it takes).
   * An instance of another account or region is {@code InvalidInstanceID.NotFound} ("The
   * specified instance does not exist", EC2's error codes); stopping a terminated one is
   * {@code IncorrectInstanceState} ("The resource is in an incorrect state for the request",
   * the same page; the message is a guess); stopping a stopped one or terminating a terminated
   * one changes nothing (a guess). Every named instance is checked before any changes.
   */
  private Answer changeState(Call call) {
    Operation op = call.op();
    boolean stop = op == Operation.EC2_STOP_INSTANCES;
    List<String> ids = Wire.indexed(call.params(), "InstanceId");
    if (ids.isEmpty()) {
      return replies.error(op, 400, "MissingParameter",
          "The request must contain the parameter InstanceId");
    }
    List<Instance> here = instancesOf(call.account(), call.region());
    List<Instance> found = new ArrayList<>();
    for (String id : ids) {
      Instance match = here.stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
      if (match == null) { // another account's or region's instance is not found either
        return replies.error(op, 400, "InvalidInstanceID.NotFound",
            "The instance ID '" + Wire.xml(id) + "' does not exist");
      }
      if (stop && (match.state().equals("terminated") || match.state().equals("shutting-down"))) {
        return replies.error(op, 400, "IncorrectInstanceState", "This instance '" + id
            + "' is not in a state from which it can be stopped.");
      }
      found.add(match);
    }
    String element = stop ? "StopInstancesResponse" : "TerminateInstancesResponse";
    String end = stop ? "stopped" : "terminated";
    StringBuilder b = new StringBuilder(256 + 200 * found.size());
    b.append('<').append(element).append(" xmlns=\"").append(Wire.EC2_NS)
        .append("\">\n  <requestId>").append(replies.requestId())
        .append("</requestId>\n  <instancesSet>");
    for (Instance i : found) {
      String previous = i.state();
      String current = previous.equals(end) ? end : stop ? "stopping" : "shutting-down";
      here.replaceAll(x -> x.id().equals(i.id()) ? x.withState(end) : x);
      b.append("\n    <item><instanceId>").append(i.id())
          .append("</instanceId><currentState><code>")
          .append(stateCode(current)).append("</code><name>").append(current)
          .append("</name></currentState><previousState><code>").append(stateCode(previous))
          .append("</code><name>").append(Wire.xml(previous))
          .append("</name></previousState></item>");
    }
    b.append("\n  </instancesSet>\n</").append(element).append(">\n");
    return Answer.xml(200, b.toString());
  }

  /**
   * The one image served, if the {@code Owner.N}, {@code ImageId.N} and name filters match
   * (DescribeImages: owner {@code amazon} or the owner's ID; {@code name} filter values with
   * {@code *} wildcards). Its fields are the Image data type's (EC2 API Reference, Image); its
   * name follows Amazon Linux 2's AMI names, and its owner ID {@value #IMAGE_OWNER} is the one
   * Amazon Linux images are listed with (a guess for a simulated region). An unknown image ID is
   * {@code InvalidAMIID.NotFound} (EC2's error codes; the message as EC2 words it, a guess);
   * other filters are the simulator's gap, refused.
   */
  private Answer describeImages(Call call) {
    Operation op = call.op();
    Map<String, String> params = call.params();
    for (String id : Wire.indexed(params, "ImageId")) {
      if (!id.equals(SimulatedAws.IMAGE_ID)) {
        return replies.error(op, 400, "InvalidAMIID.NotFound",
            "The image id '[" + Wire.xml(id) + "]' does not exist");
      }
    }
    List<String> owners = Wire.indexed(params, "Owner");
    boolean match = owners.isEmpty() || owners.contains("amazon")
        || owners.contains(IMAGE_OWNER);
    for (int n = 1; params.containsKey("Filter." + n + ".Name"); n++) {
      String name = params.getOrDefault("Filter." + n + ".Name", "");
      if (!name.equals("name")) {
        return replies.error(op, 400, "InvalidParameterValue",
            "the simulator does not support the filter '" + Wire.xml(name) + "'");
      }
      List<String> globs = Wire.indexed(params, "Filter." + n + ".Value");
      match &= globs.stream().anyMatch(g -> IMAGE_NAME.matches(glob(g)));
    }
    StringBuilder b = new StringBuilder(800);
    b.append("<DescribeImagesResponse xmlns=\"").append(Wire.EC2_NS).append("\">\n  <requestId>")
        .append(replies.requestId()).append("</requestId>\n  <imagesSet>");
    if (match) {
      b.append("\n    <item><imageId>").append(SimulatedAws.IMAGE_ID)
          .append("</imageId><imageLocation>amazon/").append(IMAGE_NAME)
          .append("</imageLocation><imageState>available</imageState><imageOwnerId>")
          .append(IMAGE_OWNER).append("</imageOwnerId><isPublic>true</isPublic><architecture>"
              + "x86_64</architecture><imageType>machine</imageType><name>").append(IMAGE_NAME)
          .append("</name><imageOwnerAlias>amazon</imageOwnerAlias><rootDeviceType>ebs"
              + "</rootDeviceType><virtualizationType>hvm</virtualizationType></item>");
    }
    b.append("\n  </imagesSet>\n</DescribeImagesResponse>\n");
    return Answer.xml(200, b.toString());
  }

  /**
   * A filter value as a regular expression: "An asterisk (*) matches zero or more characters,
   * and a question mark (?) matches zero or one character" (EC2 User Guide, "Find your Amazon
   * EC2 resources", filtering with wildcards).
   */
  private static String glob(String glob) {
    StringBuilder b = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        b.append(literal.length() == 0 ? "" : Pattern.quote(literal.toString()))
            .append(c == '*' ? ".*" : ".?");
        literal.setLength(0);
      } else {
        literal.append(c);
      }
    }
    return b.append(literal.length() == 0 ? "" : Pattern.quote(literal.toString())).toString();
  }
}
