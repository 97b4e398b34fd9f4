/**
 * clientsessions' AWS SDK v2 adapter: {@code AwsSessionManager} and its STS credential source,
 * SDK client builders and discovery. Exports only {@code io.github.clientsessions.aws}; the SDK
 * modules whose types appear in its API are required transitively.
 */
module io.github.clientsessions.aws {
  requires transitive io.github.clientsessions.core;
  requires static org.jspecify;
  requires transitive software.amazon.awssdk.auth;
  requires transitive software.amazon.awssdk.awscore;
  requires transitive software.amazon.awssdk.core;
  requires transitive software.amazon.awssdk.http;
  requires transitive software.amazon.awssdk.regions;
  requires transitive software.amazon.awssdk.identity.spi;
  requires transitive software.amazon.awssdk.metrics;
  requires software.amazon.awssdk.services.sts;
  requires software.amazon.awssdk.http.apache5;
  requires software.amazon.awssdk.http.nio.netty;
  requires software.amazon.awssdk.http.auth.aws;
  requires software.amazon.awssdk.http.auth.spi;
  requires software.amazon.awssdk.retries.api;
  requires software.amazon.awssdk.protocols.jsoncore;
  requires software.amazon.awssdk.utils;
  // optional: only AwsDiscovery's region listing and the DynamoDB resource use them
  requires static software.amazon.awssdk.services.ec2;
  requires static software.amazon.awssdk.services.dynamodb;
  requires static software.amazon.awssdk.enhanced.dynamodb;

  exports io.github.clientsessions.aws;
  exports io.github.clientsessions.aws.discovery;
}
