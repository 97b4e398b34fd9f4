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
  ORGANIZATIONS_LIST_TAGS_FOR_RESOURCE(Service.ORGANIZATIONS, "ListTagsForResource"),
  /**
   * IAM Identity Center portal {@code GetRoleCredentials} (REST-JSON, {@code GET
   * /federation/credentials}, the bearer token in {@code x-amz-sso_bearer_token}): credentials
   * for a permission set in an account, which act in that account only.
   */
  SSO_GET_ROLE_CREDENTIALS(Service.SSO, "GetRoleCredentials"),
  /** IAM Identity Center portal {@code ListAccounts} ({@code GET /assignment/accounts}, paginated). */
  SSO_LIST_ACCOUNTS(Service.SSO, "ListAccounts"),
  /** IAM Identity Center portal {@code ListAccountRoles} ({@code GET /assignment/roles}, paginated). */
  SSO_LIST_ACCOUNT_ROLES(Service.SSO, "ListAccountRoles"),
  /**
   * IAM Identity Center OIDC {@code CreateToken} ({@code POST /token}, unsigned), with the
   * {@code refresh_token} grant only: a new access token for a signed-in session.
   */
  SSO_OIDC_CREATE_TOKEN(Service.SSO_OIDC, "CreateToken");

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
        "InvalidClientTokenId", 400, 403),
    /** AWS Organizations: throttled with {@code TooManyRequestsException} (HTTP 400). */
    ORGANIZATIONS("organizations", "TooManyRequestsException", 400, "ServiceException",
        "ExpiredTokenException", "UnrecognizedClientException"),
    /**
     * The IAM Identity Center portal ({@code portal.sso.{region}.amazonaws.com}, signing name
     * {@code awsssoportal}; its calls are not signed but carry the bearer token): throttled with
     * {@code TooManyRequestsException} (HTTP 429), an invalid or expired token answered
     * {@code UnauthorizedException} (HTTP 401), as the SDK's {@code sso} service model declares
     * them; its 5xx code is a guess (the model declares none).
     */
    SSO("awsssoportal", "TooManyRequestsException", 429, "InternalServerException",
        "UnauthorizedException", "UnauthorizedException", 401, 401),
    /**
     * IAM Identity Center OIDC ({@code oidc.{region}.amazonaws.com}, signing name
     * {@code sso-oauth}, unsigned): throttled with {@code SlowDownException} (HTTP 400), an
     * unknown client {@code InvalidClientException} (HTTP 401), as the SDK's {@code ssooidc}
     * service model declares them.
     */
    SSO_OIDC("sso-oauth", "SlowDownException", 400, "InternalServerException",
        "ExpiredTokenException", "InvalidClientException", 400, 401);

    private final String signingName;
    final String throttlingCode;
    final int throttlingStatus;
    final String serverErrorCode;
    final String expiredTokenCode;
    final String invalidTokenCode;
    final int expiredTokenStatus;
    final int invalidTokenStatus;

    Service(String signingName, String throttlingCode, int throttlingStatus,
        String serverErrorCode, String expiredTokenCode, String invalidTokenCode) {
      this(signingName, throttlingCode, throttlingStatus, serverErrorCode, expiredTokenCode,
          invalidTokenCode, 403, 403);
    }

    Service(String signingName, String throttlingCode, int throttlingStatus,
        String serverErrorCode, String expiredTokenCode, String invalidTokenCode,
        int expiredTokenStatus, int invalidTokenStatus) {
      this.signingName = signingName;
      this.throttlingCode = throttlingCode;
      this.throttlingStatus = throttlingStatus;
      this.serverErrorCode = serverErrorCode;
      this.expiredTokenCode = expiredTokenCode;
      this.invalidTokenCode = invalidTokenCode;
      this.expiredTokenStatus = expiredTokenStatus;
      this.invalidTokenStatus = invalidTokenStatus;
    }

    /** Whether the service speaks REST-JSON (the IAM Identity Center APIs). */
    boolean isRestJson() {
      return this == SSO || this == SSO_OIDC;
    }

    /**
     * The name requests are signed for ({@code sts}, {@code ec2}, {@code organizations}): each
     * service model's {@code endpointPrefix}, which SigV4 uses as the credential scope's service
     * (the IAM Identity Center APIs' names, although their calls are not signed).
     */
    public String signingName() {
      return signingName;
    }
  }
}
