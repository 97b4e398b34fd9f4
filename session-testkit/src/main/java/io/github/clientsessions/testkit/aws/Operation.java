package io.github.clientsessions.testkit.aws;

import org.jspecify.annotations.Nullable;

/**
 * The AWS operations {@link SimulatedAws} serves, each with the service and protocol it belongs
 * to. Latency, faults and counters are scripted and read per operation.
 */
public enum Operation {
  /** STS {@code AssumeRole} (query protocol, XML answer). */
  STS_ASSUME_ROLE(Service.STS, "AssumeRole"),
  /** STS {@code GetCallerIdentity} (query protocol, XML answer). */
  STS_GET_CALLER_IDENTITY(Service.STS, "GetCallerIdentity"),
  /** EC2 {@code DescribeInstances} (EC2 query protocol, XML answer). */
  EC2_DESCRIBE_INSTANCES(Service.EC2, "DescribeInstances"),
  /** EC2 {@code DescribeRegions} (EC2 query protocol, XML answer). */
  EC2_DESCRIBE_REGIONS(Service.EC2, "DescribeRegions"),
  /** EC2 {@code RunInstances}: new instances in the caller's account and the signed region. */
  EC2_RUN_INSTANCES(Service.EC2, "RunInstances"),
  /** EC2 {@code StopInstances}, of the caller's instances in the signed region. */
  EC2_STOP_INSTANCES(Service.EC2, "StopInstances"),
  /** EC2 {@code TerminateInstances}, of the caller's instances in the signed region. */
  EC2_TERMINATE_INSTANCES(Service.EC2, "TerminateInstances"),
  /** EC2 {@code DescribeImages}: one Amazon-owned Amazon Linux 2 image, in every region. */
  EC2_DESCRIBE_IMAGES(Service.EC2, "DescribeImages"),
  /** Organizations {@code ListAccounts} (JSON 1.1 protocol, paginated with {@code NextToken}). */
  ORGANIZATIONS_LIST_ACCOUNTS(Service.ORGANIZATIONS, "ListAccounts"),
  /** Organizations {@code DescribeOrganization}. */
  ORGANIZATIONS_DESCRIBE_ORGANIZATION(Service.ORGANIZATIONS, "DescribeOrganization"),
  /** Organizations {@code ListRoots} (paginated). */
  ORGANIZATIONS_LIST_ROOTS(Service.ORGANIZATIONS, "ListRoots"),
  /** Organizations {@code ListOrganizationalUnitsForParent} (paginated). */
  ORGANIZATIONS_LIST_OUS_FOR_PARENT(Service.ORGANIZATIONS, "ListOrganizationalUnitsForParent"),
  /** Organizations {@code ListAccountsForParent} (paginated). */
  ORGANIZATIONS_LIST_ACCOUNTS_FOR_PARENT(Service.ORGANIZATIONS, "ListAccountsForParent"),
  /** Organizations {@code ListTagsForResource}, of an account. */
  ORGANIZATIONS_LIST_TAGS_FOR_RESOURCE(Service.ORGANIZATIONS, "ListTagsForResource");

  private final Service service;
  private final String action;

  Operation(Service service, String action) {
    this.service = service;
    this.action = action;
  }

  /** The service the operation belongs to. */
  public Service service() {
    return service;
  }

  /** The operation's AWS name, e.g. {@code AssumeRole}. */
  public String action() {
    return action;
  }

  /** The operation of {@code service} named {@code action}, or null if none is served. */
  static @Nullable Operation of(Service service, String action) {
    for (Operation o : values()) {
      if (o.service == service && o.action.equals(action)) {
        return o;
      }
    }
    return null;
  }

  /**
   * The AWS services {@link SimulatedAws} speaks, with the error codes each uses.
   *
   * <p>Sources, per service. STS: the STS API Reference's "Common Errors" ({@code InternalFailure}
   * 500, {@code InvalidClientTokenId} 403) and its service model
   * ({@code botocore/data/sts/2011-06-15/service-2.json}); throttled as {@code Throttling}, the
   * code the SDK counts as throttling for query services
   * ({@code software.amazon.awssdk.awscore.internal.AwsErrorCode}), 400 (a guess); an expired
   * token is {@code ExpiredToken}, 403 (jenkinsci/ec2-plugin#1008 shows STS's answer). EC2: "Error
   * codes for the Amazon EC2 API" ({@code RequestLimitExceeded}, the throttling code, answered
   * with HTTP 503 as clients observe it; {@code InternalError} 500 among the server errors;
   * {@code InvalidClientTokenId}); its {@code ExpiredToken} is the simulator's device for
   * revocation (EC2 answers expired credentials {@code RequestExpired}). Organizations: its
   * service model ({@code botocore/data/organizations/2016-11-28/service-2.json}:
   * {@code TooManyRequestsException}, {@code ServiceException}, a fault, so answered 500, a
   * guess), and the Common Errors of AWS's JSON services ({@code ExpiredTokenException} 403,
   * {@code UnrecognizedClientException} 403).
   */
  public enum Service {
    /** AWS Security Token Service: throttled with {@code Throttling} (HTTP 400). */
    STS("sts", "Throttling", 400, "InternalFailure", "ExpiredToken", "InvalidClientTokenId"),
    /** Amazon EC2: throttled with {@code RequestLimitExceeded} (HTTP 503). */
    EC2("ec2", "RequestLimitExceeded", 503, "InternalError", "ExpiredToken",
        "InvalidClientTokenId"),
    /** AWS Organizations: throttled with {@code TooManyRequestsException} (HTTP 400). */
    ORGANIZATIONS("organizations", "TooManyRequestsException", 400, "ServiceException",
        "ExpiredTokenException", "UnrecognizedClientException");

    private final String signingName;
    final String throttlingCode;
    final int throttlingStatus;
    final String serverErrorCode;
    final String expiredTokenCode;
    final String invalidTokenCode;

    Service(String signingName, String throttlingCode, int throttlingStatus,
        String serverErrorCode, String expiredTokenCode, String invalidTokenCode) {
      this.signingName = signingName;
      this.throttlingCode = throttlingCode;
      this.throttlingStatus = throttlingStatus;
      this.serverErrorCode = serverErrorCode;
      this.expiredTokenCode = expiredTokenCode;
      this.invalidTokenCode = invalidTokenCode;
    }

    /**
     * The name requests are signed for ({@code sts}, {@code ec2}, {@code organizations}): each
     * service model's {@code endpointPrefix}, which SigV4 uses as the credential scope's service.
     */
    public String signingName() {
      return signingName;
    }
  }
}
