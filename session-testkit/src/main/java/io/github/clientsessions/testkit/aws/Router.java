package io.github.clientsessions.testkit.aws;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The way of a request through {@link SimulatedAws}: it reads the operation (from
 * {@code X-Amz-Target} for JSON 1.1, or {@code Action} and the SigV4 credential scope for the
 * query protocol, or the method and path of IAM Identity Center's REST-JSON calls),
 * authenticates the caller ({@link Identities}; the portal's bearer token, {@link SsoService}),
 * counts the request, draws its latency, then answers with a refusal, the fault the
 * {@link FaultScript} decides, or the answer of the operation's {@link SimulatedService}.
 *
 * <p>Thread-safe: it keeps no state of its own; the parts it calls are thread-safe.
 */
final class Router {
  private static final String ORGANIZATIONS_TARGET = "AWSOrganizationsV20161128.";
  /** The account and region of IAM Identity Center calls that name none. */
  private static final String NO_ACCOUNT = "none";

  private final Identities identities;
  private final FaultScript script;
  private final SeededRandom random;
  private final Counters counters;
  private final Replies replies;
  private final Map<Operation.Service, SimulatedService> services =
      new EnumMap<>(Operation.Service.class);

  Router(Identities identities, FaultScript script, SeededRandom random, Counters counters,
      Replies replies, List<SimulatedService> services) {
    this.identities = identities;
    this.script = script;
    this.random = random;
    this.counters = counters;
    this.replies = replies;
    services.forEach(s -> this.services.put(s.service(), s));
  }

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
      op = queryOperation(auth.service(), params.get("Action"));
      if (op == null) {
        return invalidAction(auth.service(), params.get("Action"));
      }
    }
    if (auth == null) {
      return replies.error(op, 403, "MissingAuthenticationToken",
          "Request is missing Authentication Token");
    }
    return serve(op, params, auth, request);
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
    Answer ok = services.get(op.service())
        .answer(new SimulatedService.Call(op, params, account, null, NO_ACCOUNT));
    return (fault == Fault.SLOW_BODY ? slowBody(op, ok) : ok).after(delay);
  }

  private Answer slowBody(Operation op, Answer ok) {
    counters.error(op, "SlowBody");
    return ok.slow(script.slowBodyStallNanos());
  }

  /** The query-protocol service a request is signed for, or null if not STS or EC2. */
  private static Operation.@Nullable Service queryService(String signingName) {
    return switch (signingName) {
      case "sts" -> Operation.Service.STS;
      case "ec2" -> Operation.Service.EC2;
      default -> null;
    };
  }

  private static @Nullable Operation queryOperation(String signingName,
      @Nullable String action) {
    Operation.Service service = queryService(signingName);
    return service == null || action == null ? null : Operation.of(service, action);
  }

  private Answer invalidAction(String signingName, @Nullable String action) {
    Operation.Service service = queryService(signingName);
    return Answer.xml(400, Wire.queryError(service == null ? Operation.Service.STS : service,
        "InvalidAction", "the simulator does not serve " + action + " of " + signingName,
        replies.requestId()));
  }

  /**
   * Authenticates and counts a request of {@code op}, then answers it: refused credentials, a
   * scripted fault, or the service's answer (its body stalled if the fault is a slow body), all
   * held for the drawn latency.
   */
  private Answer serve(Operation op, Map<String, String> params, SigV4.Authorization auth,
      SimulatedServer.Received request) {
    String region = auth.region();
    Identities.Caller caller = identities.authenticate(auth, request);
    String account = caller.account();
    counters.requested(op, op == Operation.STS_ASSUME_ROLE
        ? StsService.roleAccount(params) : account); // AssumeRole counts under the role's account
    SplittableRandom draw = random.forRequest(op, account, region);
    long delay = script.delayNanos(op, draw);

    Identities.Refusal refusal = caller.refusal() != null ? caller.refusal()
        : identities.standing(caller.issued());
    if (refusal != null) {
      return replies.refused(op, refusal).after(delay);
    }
    Fault fault = script.fault(op, account, region, draw);
    if (fault != null && fault != Fault.SLOW_BODY) {
      return replies.fault(op, fault).after(delay);
    }
    Answer ok = services.get(op.service())
        .answer(new SimulatedService.Call(op, params, account, caller.issued(), region));
    if (fault == Fault.SLOW_BODY) {
      counters.error(op, "SlowBody");
      ok = ok.slow(script.slowBodyStallNanos());
    }
    return ok.after(delay);
  }
}
