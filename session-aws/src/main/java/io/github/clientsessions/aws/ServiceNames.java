package io.github.clientsessions.aws;

import io.github.clientsessions.core.InvalidInputException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkClient;

/**
 * Finds the SDK v2 sync client class for a service name as boto3 spells it ({@code "ec2"},
 * {@code "dynamodb"}, {@code "logs"}): first a table of names whose Java class does not follow
 * the convention, then the convention {@code software.amazon.awssdk.services.<name>.<Name>Client}
 * (e.g. {@code ec2 -> services.ec2.Ec2Client}, {@code sso-admin -> services.ssoadmin.SsoAdminClient}).
 * A fully qualified class name is accepted as it is. Stateless; thread-safe.
 */
final class ServiceNames {

  private static final String PREFIX = "software.amazon.awssdk.services.";
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /** boto3 names whose Java package or class name the convention would get wrong. */
  private static final Map<String, String> IRREGULAR = Map.ofEntries(
      Map.entry("apigateway", "apigateway.ApiGatewayClient"),
      Map.entry("autoscaling", "autoscaling.AutoScalingClient"),
      Map.entry("ce", "costexplorer.CostExplorerClient"),
      Map.entry("cloudformation", "cloudformation.CloudFormationClient"),
      Map.entry("cloudfront", "cloudfront.CloudFrontClient"),
      Map.entry("cloudtrail", "cloudtrail.CloudTrailClient"),
      Map.entry("cloudwatch", "cloudwatch.CloudWatchClient"),
      Map.entry("codebuild", "codebuild.CodeBuildClient"),
      Map.entry("codepipeline", "codepipeline.CodePipelineClient"),
      Map.entry("dynamodb", "dynamodb.DynamoDbClient"),
      Map.entry("elasticache", "elasticache.ElastiCacheClient"),
      Map.entry("elb", "elasticloadbalancing.ElasticLoadBalancingClient"),
      Map.entry("elbv2", "elasticloadbalancingv2.ElasticLoadBalancingV2Client"),
      Map.entry("events", "eventbridge.EventBridgeClient"),
      Map.entry("guardduty", "guardduty.GuardDutyClient"),
      Map.entry("logs", "cloudwatchlogs.CloudWatchLogsClient"),
      Map.entry("resourcegroupstaggingapi",
          "resourcegroupstaggingapi.ResourceGroupsTaggingApiClient"),
      Map.entry("s3control", "s3control.S3ControlClient"),
      Map.entry("sagemaker", "sagemaker.SageMakerClient"),
      Map.entry("secretsmanager", "secretsmanager.SecretsManagerClient"),
      Map.entry("securityhub", "securityhub.SecurityHubClient"),
      Map.entry("servicequotas", "servicequotas.ServiceQuotasClient"),
      Map.entry("stepfunctions", "sfn.SfnClient"));

  private ServiceNames() {}

  /**
   * The client class for {@code name}.
   *
   * @throws InvalidInputException if the name is malformed, or no such class is on the class path
   */
  static Class<? extends SdkClient> resolve(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("serviceName", name, "must be a service name such as ec2");
    }
    String className = name.contains(".") ? name : PREFIX + conventional(name);
    Class<?> type = load(className);
    if (type == null) {
      throw new InvalidInputException("serviceName", name,
          "no AWS SDK v2 client class " + className + " on the class path; add the service's"
              + " artifact (e.g. software.amazon.awssdk:ec2) or pass the client class itself");
    }
    if (!SdkClient.class.isAssignableFrom(type)) {
      throw new InvalidInputException("serviceName", name, className + " is not an SDK client");
    }
    return type.asSubclass(SdkClient.class);
  }

  /** {@code package.ClassName} relative to the services package. */
  static String conventional(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    String irregular = IRREGULAR.get(lower);
    if (irregular != null) {
      return irregular;
    }
    if (!NAME.matcher(lower).matches()) {
      throw new InvalidInputException("serviceName", name,
          "must be a service name of letters, digits and dashes, such as ec2 or sso-admin,"
              + " or a fully qualified client class name");
    }
    StringBuilder simple = new StringBuilder();
    for (String part : lower.split("-")) {
      simple.append(Character.toUpperCase(part.charAt(0))).append(part, 1, part.length());
    }
    return lower.replace("-", "") + "." + simple + "Client";
  }

  private static @Nullable Class<?> load(String className) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    for (ClassLoader loader : new ClassLoader[] {context, ServiceNames.class.getClassLoader()}) {
      if (loader == null) {
        continue;
      }
      try {
        return Class.forName(className, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next loader
      }
    }
    return null;
  }
}
