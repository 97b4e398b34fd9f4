package io.github.clientsessions.aws;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sso.model.GetRoleCredentialsRequest;
import software.amazon.awssdk.services.sso.model.GetRoleCredentialsResponse;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenResponse;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Records the secret access key and session token of every AssumeRole response the STS client
 * returns to the adapter, and on IAM Identity Center's clients the bearer token of every portal
 * call, the keys of every GetRoleCredentials answer and the tokens of every CreateToken answer:
 * the values that must never show up anywhere else.
 */
final class IssuedSecrets implements ExecutionInterceptor {

  final Set<String> values = ConcurrentHashMap.newKeySet();

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    if (context.response() instanceof AssumeRoleResponse r && r.credentials() != null) {
      Credentials c = r.credentials();
      values.add(c.secretAccessKey());
      values.add(c.sessionToken());
    }
    if (context.request() instanceof GetRoleCredentialsRequest r) {
      values.add(r.accessToken());
    }
    if (context.response() instanceof GetRoleCredentialsResponse r
        && r.roleCredentials() != null) {
      values.add(r.roleCredentials().secretAccessKey());
      values.add(r.roleCredentials().sessionToken());
    }
    if (context.response() instanceof CreateTokenResponse r) {
      values.add(r.accessToken());
      values.add(r.refreshToken());
    }
  }

  /** The first secret {@code text} contains, or null. */
  String foundIn(String text) {
    if (text == null) {
      return null;
    }
    for (String secret : values) {
      if (text.contains(secret)) {
        return secret;
      }
    }
    return null;
  }
}
