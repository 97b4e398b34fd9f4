package io.github.clientsessions.testkit.aws;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The way of a request through {@link SimulatedAws}: it reads the operation (from
 * {@code X-Amz-Target} for JSON 1.1, {@code Action} and the service the request went to for the
 * query protocol, or the method and path of IAM Identity Center's REST-JSON calls) and where it
 * went (the region), checks the SigV4 credential scope against them, authenticates the caller
 * ({@link Identities}; the portal's bearer token, {@link SsoService}), counts the request, draws
 * its latency, then answers with a refusal, the fault the {@link FaultScript} decides, or the
 * answer of the operation's {@link SimulatedService}.
 *
 * <p>Where a request went. AWS routes by host name ({@code sts.eu-west-1.amazonaws.com}, the
 * global {@code sts.amazonaws.com}, {@code ec2.eu-west-1.amazonaws.com}; AWS General Reference,
 * "AWS service endpoints"); a client reaching the simulator through an endpoint override sends
 * the simulator's own address as {@code Host}, so then the credential scope says which service
 * and region a query-protocol request is for, as it is the only name the request carries. A
 * request whose {@code Host} is an AWS host name (a test may resolve one to the simulator) goes
 * where the name says, and its credential scope must agree.
 *
 * <p>Thread-safe: it keeps no state of its own; the parts it calls are thread-safe.
 */
final class Router {
  private static final String ORGANIZATIONS_TARGET = "AWSOrganizationsV20161128.";
  /** An AWS host: the service, then the region, absent for STS's global endpoint. */
  private static final Pattern AWS_HOST = Pattern.compile(
      "(sts|ec2|organizations)(?:\\.([a-z]{2}(?:-[a-z]+)+-\\d+))?\\.amazonaws\\.com(?::\\d+)?");
  /**
   * The regions Organizations' requests are signed for, one per partition: the credential
   * scope of each partition's global endpoint in the AWS SDK for Java 2.59.1's
   * {@code endpoints.json} (service {@code organizations}, {@code credentialScope}).
   */
  private static final Set<String> ORGANIZATIONS_REGIONS = Set.of("us-east-1", "cn-northwest-1",
      "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1");
  /** The account and region of IAM Identity Center calls that name none. */
  private static final String NO_ACCOUNT = "none";

  private final Identities identities;
  private final Regions regions;
  private final FaultScript script;
  private final SeededRandom random;
  private final Counters counters;
  private final Replies replies;
  private final Map<Operation.Service, SimulatedService> services =
      new EnumMap<>(Operation.Service.class);

  Router(Identities identities, Regions regions, FaultScript script, SeededRandom random,
      Counters counters, Replies replies, List<SimulatedService> services) {
    this.identities = identities;
    this.regions = regions;
    this.script = script;
    this.random = random;
    this.counters = counters;
    this.replies = replies;
    services.forEach(s -> this.services.put(s.service(), s));
  }

  /**
   * Where a request went: its region, and whether it is STS's global endpoint (whose session
   * tokens are valid in the default regions only).
   */
  record Endpoint(String region, boolean globalSts) {}

  /** The answer to {@code request}. */
  Answer answer(SimulatedServer.Received request) {
    counters.received();
    Operation unsigned = unsignedOperation(request.method(), request.uri().getPath());
    if (unsigned != null) {
      return serveUnsigned(unsigned, request);
    }
    String body = new String(request.body(), StandardCharsets.UTF_8);
    Headers headers = request.headers();
    String target = headers.getFirst("X-Amz-Target");
    SigV4.Authorization auth = SigV4.Authorization.parse(headers.getFirst("Authorization"));
    Matcher host = AWS_HOST.matcher(String.valueOf(headers.getFirst("Host")));
    boolean awsHost = host.matches();
    Operation op;
    Map<String, String> params;
    if (target != null) {
      params = Wire.jsonFields(body);
      op = target.startsWith(ORGANIZATIONS_TARGET) ? Operation.of(Operation.Service.ORGANIZATIONS,
          target.substring(ORGANIZATIONS_TARGET.length())) : null;
      if (op == null) {
        return Answer.json(400, Wire.jsonError("UnknownOperationException",
            "the simulator does not serve " + target));
      }
    } else {
      params = Wire.form(body.isEmpty() ? request.uri().getRawQuery() : body);
      if (auth == null) {
        return Answer.xml(403, Wire.queryError(Operation.Service.STS,
            "MissingAuthenticationToken", "Request is missing Authentication Token",
            replies.requestId()));
      }
      String service = awsHost ? host.group(1) : auth.service();
      op = queryOperation(service, params.get("Action"));
      if (op == null) {
        return invalidAction(service, params.get("Action"));
      }
    }
    if (auth == null) {
      return replies.error(op, 403, "MissingAuthenticationToken",
          "Request is missing Authentication Token");
    }
    Endpoint endpoint = new Endpoint(auth.region(), false);
    if (awsHost && op.service() != Operation.Service.ORGANIZATIONS) {
      // a host without a region (sts.amazonaws.com, EC2's legacy ec2.amazonaws.com) is signed
      // for us-east-1 (the SDK's endpoints.json: sts's aws-global credentialScope)
      boolean global = host.group(2) == null;
      endpoint = new Endpoint(global ? "us-east-1" : host.group(2),
          global && op.service() == Operation.Service.STS);
    }
    String misScoped = scopeError(op.service(), endpoint, auth);
    Answer answer = misScoped != null ? refuse(op, params, Identities.Refusal.WRONG_SCOPE,
        misScoped) : serve(op, params, auth, endpoint, request);
    return answer.heldBy(script.stallOf(op));
  }

  /**
   * Why the request's credential scope does not fit where it went, or null if it does. SigV4
   * scopes a signature to one service and region ("Create a signed AWS API request", IAM User
   * Guide, reference_sigv-create-signed-request.html: the credential scope names the region and
   * the service the request is sent to); the messages are AWS's as users report them (service:
   * cllunsford/aws-signing-proxy#25).
   */
  private static @Nullable String scopeError(Operation.Service service, Endpoint endpoint,
      SigV4.Authorization auth) {
    if (!auth.service().equals(service.signingName())) {
      return "Credential should be scoped to correct service: '" + service.signingName() + "'. ";
    }
    boolean regionFits = service == Operation.Service.ORGANIZATIONS
        ? ORGANIZATIONS_REGIONS.contains(auth.region()) : auth.region().equals(endpoint.region());
    return regionFits ? null
        : "Credential should be scoped to a valid region, not '" + auth.region() + "'. ";
  }

  /**
   * IAM Identity Center's operations, by method and path (REST-JSON, as the SDK's {@code sso} and
   * {@code ssooidc} service models bind them), or null; their calls carry no SigV4 signature
   * (the models' {@code "authtype":"none"}).
   */
  private static @Nullable Operation unsignedOperation(String method, String path) {
    return switch (method + " " + path) {
      case "GET /federation/credentials" -> Operation.SSO_GET_ROLE_CREDENTIALS;
      case "GET /assignment/accounts" -> Operation.SSO_LIST_ACCOUNTS;
      case "GET /assignment/roles" -> Operation.SSO_LIST_ACCOUNT_ROLES;
      case "POST /token" -> Operation.SSO_OIDC_CREATE_TOKEN;
      default -> null;
    };
  }

  /**
   * An IAM Identity Center call: the portal's authenticated by its bearer token (header
   * {@code x-amz-sso_bearer_token}), which the portal answers {@code UnauthorizedException} (HTTP
   * 401) when unknown, expired or signed out; OIDC's unauthenticated. Counted under the account
   * it names ({@code account_id}) or {@value #NO_ACCOUNT}, then scripted like any call. Its
   * region is {@value #NO_ACCOUNT} too: it is only in the endpoint's host name, which an
   * endpoint override replaces.
   */
  private Answer serveUnsigned(Operation op, SimulatedServer.Received request) {
    Map<String, String> params = op == Operation.SSO_OIDC_CREATE_TOKEN
        ? Wire.jsonFields(new String(request.body(), StandardCharsets.UTF_8))
        : Wire.form(request.uri().getRawQuery());
    String account = params.getOrDefault("account_id", NO_ACCOUNT);
    counters.requested(op, account);
    SplittableRandom draw = random.forRequest(op, account, NO_ACCOUNT);
    long delay = script.delayNanos(op, draw);
    if (op.service() == Operation.Service.SSO
        && !(services.get(op.service()) instanceof SsoService portal
            && portal.accepts(request.headers().getFirst("x-amz-sso_bearer_token")))) {
      return replies.error(op, 401, "UnauthorizedException",
          "Session token not found or invalid").after(delay);
    }
    Fault fault = script.fault(op, account, NO_ACCOUNT, draw);
    if (fault != null && fault != Fault.SLOW_BODY) {
      return replies.fault(op, fault).after(delay);
    }
    Answer ok = Objects.requireNonNull(services.get(op.service()), "a service per operation")
        .answer(new SimulatedService.Call(op, params, account, null, NO_ACCOUNT, false));
    return (fault == Fault.SLOW_BODY ? slowBody(op, ok) : ok).after(delay);
  }

  private Answer slowBody(Operation op, Answer ok) {
    counters.error(op, "SlowBody");
    return ok.slow(script.slowBodyStallNanos());
  }

  /** The query-protocol service of a signing name or host prefix, or null if not STS or EC2. */
  private static Operation.@Nullable Service queryService(String name) {
    return switch (name) {
      case "sts" -> Operation.Service.STS;
      case "ec2" -> Operation.Service.EC2;
      default -> null;
    };
  }

  private static @Nullable Operation queryOperation(String service, @Nullable String action) {
    Operation.Service s = queryService(service);
    return s == null || action == null ? null : Operation.of(s, action);
  }

  private Answer invalidAction(String service, @Nullable String action) {
    Operation.Service s = queryService(service);
    return Answer.xml(400, Wire.queryError(s == null ? Operation.Service.STS : s,
        "InvalidAction", "the simulator does not serve " + action + " of " + service,
        replies.requestId()));
  }

  /** A request refused before its caller is known, counted under {@code unauthenticated}. */
  private Answer refuse(Operation op, Map<String, String> params, Identities.Refusal refusal,
      String detail) {
    counters.requested(op, op == Operation.STS_ASSUME_ROLE
        ? StsService.roleAccount(params) : Identities.UNAUTHENTICATED);
    return replies.refused(op, refusal, detail);
  }

  /**
   * Authenticates and counts a request of {@code op}, then answers it: refused credentials, a
   * scripted fault, or the service's answer (its body stalled if the fault is a slow body), all
   * held for the drawn latency.
   */
  private Answer serve(Operation op, Map<String, String> params, SigV4.Authorization auth,
      Endpoint endpoint, SimulatedServer.Received request) {
    String region = endpoint.region();
    Identities.Caller caller = identities.authenticate(op.service(), auth, request);
    String account = caller.account();
    counters.requested(op, op == Operation.STS_ASSUME_ROLE
        ? StsService.roleAccount(params) : account); // AssumeRole counts under the role's account
    SplittableRandom draw = random.forRequest(op, account, region);
    long delay = script.delayNanos(op, draw);

    Identities.Refusal refusal = caller.refusal() != null ? caller.refusal()
        : identities.standing(caller.issued(), region);
    if (refusal == null && !regions.isEnabled(account, region)) {
      refusal = Identities.Refusal.REGION_DISABLED; // good credentials, in a disabled region
    }
    if (refusal != null) {
      return replies.refused(op, refusal, caller.detail()).after(delay);
    }
    Fault fault = script.fault(op, account, region, draw);
    if (fault != null && fault != Fault.SLOW_BODY) {
      return replies.fault(op, fault).after(delay);
    }
    Answer ok = Objects.requireNonNull(services.get(op.service()), "a service per operation")
        .answer(new SimulatedService.Call(op, params, account,
        caller.issued(), region, endpoint.globalSts()));
    return (fault == Fault.SLOW_BODY ? slowBody(op, ok) : ok).after(delay);
  }
}
