package io.github.clientsessions.aws;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.SessionException;
import io.github.clientsessions.core.Target;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A service refused an account's credentials in one region although STS, in the manager's STS
 * region, accepts the same credentials: the region refuses them, which is what every AWS service
 * does in an opt-in region the account has not enabled (query-protocol services such as STS,
 * IAM, SNS and SQS answer {@code InvalidClientTokenId}, JSON ones
 * {@code UnrecognizedClientException}, EC2 {@code AuthFailure}). The account's credentials were
 * kept: nothing was invalidated and no role assumed again, so the account's other regions and
 * callers are unaffected. What to do: enable the region for the account (AWS Account Management,
 * {@code EnableRegion}), or leave it out of the targets, e.g. with
 * {@code AwsDiscovery.enabledRegions(...)} rather than {@code allRegions()}. Never contains
 * credentials.
 *
 * <p>The call itself fails with the service's own exception for the refusal (for example an
 * {@code Ec2Exception} with error code {@code AuthFailure}), so code that handles the SDK's
 * exceptions keeps working; its message names the account, region and operation, and this
 * exception is its cause. {@link #find(Throwable)} gets it from what a call threw or what an
 * async call's future failed with:
 *
 * <pre>{@code
 * try {
 *   ec2.describeInstances();
 * } catch (Ec2Exception e) {
 *   RegionNotEnabledException.find(e).ifPresent(r -> skip(r.refusedAccount(), r.region()));
 * }
 * }</pre>
 *
 * <p>Immutable; thread-safe.
 */
public final class RegionNotEnabledException extends SessionException {

  private static final long serialVersionUID = 1L;

  private final String region;
  private final String errorCode;

  RegionNotEnabledException(Target target, String subject, String operation, String errorCode,
      String stsRegion) {
    super(target.account(), subject, operation + " in " + target + " refused the credentials of "
        + subject + " with " + errorCode + ", which STS in " + stsRegion + " accepts: region "
        + target.region() + " is not enabled for account " + target.account()
        + " (an opt-in region). Enable it for the account, or leave it out of the targets"
        + " (AwsDiscovery.enabledRegions(...) selects only enabled regions); the account's"
        + " credentials were kept", null);
    this.region = target.region();
    this.errorCode = errorCode;
  }

  /**
   * The refusal in {@code failure} or in its causes (a {@code CompletionException} or
   * {@code ExecutionException} of an async call included), if a region refused the call.
   *
   * @param failure what a call threw; may be null (then empty)
   */
  public static Optional<RegionNotEnabledException> find(@Nullable Throwable failure) {
    return Causes.find(failure, RegionNotEnabledException.class);
  }

  /** The region that refused the credentials, e.g. {@code me-south-1}. */
  public String region() {
    return region;
  }

  /** The service's error code, e.g. {@code AuthFailure} or {@code InvalidClientTokenId}. */
  public String errorCode() {
    return errorCode;
  }

  /** The account whose credentials the region refused (also {@link #account()}). */
  public Account refusedAccount() {
    return account().orElseThrow();
  }
}
