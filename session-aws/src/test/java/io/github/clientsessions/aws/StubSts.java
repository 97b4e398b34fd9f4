package io.github.clientsessions.aws;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/** An in-memory STS that records AssumeRole requests and answers with numbered credentials. */
final class StubSts implements StsClient {

  final List<AssumeRoleRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger issued = new AtomicInteger();
  private final Function<AssumeRoleRequest, Instant> expiry;

  StubSts(Function<AssumeRoleRequest, Instant> expiry) {
    this.expiry = expiry;
  }

  @Override
  public AssumeRoleResponse assumeRole(AssumeRoleRequest request) {
    requests.add(request);
    int n = issued.incrementAndGet();
    return AssumeRoleResponse.builder()
        .credentials(Credentials.builder()
            .accessKeyId("ASIASTUB" + n)
            .secretAccessKey("secret-" + n)
            .sessionToken("token-" + n)
            .expiration(expiry.apply(request))
            .build())
        .build();
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}
}
