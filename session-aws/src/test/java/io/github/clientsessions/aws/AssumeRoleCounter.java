package io.github.clientsessions.aws;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/** Counts AssumeRole calls at the STS client and records the role ARNs and signing keys. */
final class AssumeRoleCounter implements ExecutionInterceptor {

  final AtomicInteger calls = new AtomicInteger();
  final List<String> roleArns = new CopyOnWriteArrayList<>();
  final List<String> signedBy = new CopyOnWriteArrayList<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (context.request() instanceof AssumeRoleRequest r) {
      calls.incrementAndGet();
      roleArns.add(r.roleArn());
    }
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context,
      ExecutionAttributes attributes) {
    if (context.request() instanceof AssumeRoleRequest) {
      signedBy.add(Signatures.accessKeyOf(context.httpRequest()));
    }
  }

  ClientOverrideConfiguration configuration() {
    return ClientOverrideConfiguration.builder().addExecutionInterceptor(this).build();
  }
}
