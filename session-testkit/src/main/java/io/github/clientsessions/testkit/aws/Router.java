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
 * query protocol), authenticates the caller ({@link Identities}), counts the request, draws its
 * latency, then answers with a refusal, the fault the {@link FaultScript} decides, or the answer
 * of the operation's {@link SimulatedService}.
 *
 * <p>Thread-safe: it keeps no state of its own; the parts it calls are thread-safe.
 */
final class Router {
  private static final String ORGANIZATIONS_TARGET = "AWSOrganizationsV20161128.";

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

  /** The answer to {@code request}. */
  Answer answer(SimulatedServer.Received request) {
    counters.received();
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
   * held by the operation's {@link Stall} if any, then for the drawn latency.
   */
  private Answer serve(Operation op, Map<String, String> params, SigV4.Authorization auth,
      SimulatedServer.Received request) {
    return answerOf(op, params, auth, request).heldBy(script.stallOf(op));
  }

  private Answer answerOf(Operation op, Map<String, String> params, SigV4.Authorization auth,
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
    if (refusal == null && !regions.isEnabled(account, region)) {
      refusal = Identities.Refusal.REGION_DISABLED; // good credentials, in a disabled region
    }
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
