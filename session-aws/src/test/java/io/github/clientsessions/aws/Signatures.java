package io.github.clientsessions.aws;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/** Records the access key that signed each request a client sends. */
public final class Signatures implements ExecutionInterceptor {

  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");

  final List<String> accessKeys = new CopyOnWriteArrayList<>();

  public static String accessKeyOf(SdkHttpRequest request) {
    String authorization = request.firstMatchingHeader("Authorization").orElse("");
    Matcher m = CREDENTIAL.matcher(authorization);
    return m.find() ? m.group(1) : "unsigned";
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context,
      ExecutionAttributes attributes) {
    accessKeys.add(accessKeyOf(context.httpRequest()));
  }

  public String last() {
    return accessKeys.get(accessKeys.size() - 1);
  }

  public ClientOverrideConfiguration configuration() {
    return ClientOverrideConfiguration.builder().addExecutionInterceptor(this).build();
  }
}
