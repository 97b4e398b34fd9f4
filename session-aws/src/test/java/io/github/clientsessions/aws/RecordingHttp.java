package io.github.clientsessions.aws;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.utils.AttributeMap;

/** HTTP client builders whose clients are the real ones, counting builds and closes. */
final class RecordingHttp {

  private RecordingHttp() {}

  /** Builds Apache clients that count their closes. */
  static final class Sync implements SdkHttpClient.Builder<Sync> {
    final AtomicInteger builds = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public SdkHttpClient buildWithDefaults(AttributeMap defaults) {
      builds.incrementAndGet();
      SdkHttpClient real = Apache5HttpClient.builder().buildWithDefaults(defaults);
      return new SdkHttpClient() {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
          return real.prepareRequest(request);
        }

        @Override
        public String clientName() {
          return real.clientName();
        }

        @Override
        public void close() {
          closes.incrementAndGet();
          real.close();
        }
      };
    }
  }

  /** Builds Netty clients that count their closes. */
  static final class Async implements SdkAsyncHttpClient.Builder<Async> {
    final AtomicInteger builds = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public SdkAsyncHttpClient buildWithDefaults(AttributeMap defaults) {
      builds.incrementAndGet();
      SdkAsyncHttpClient real = NettyNioAsyncHttpClient.builder().buildWithDefaults(defaults);
      return new SdkAsyncHttpClient() {
        @Override
        public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
          return real.execute(request);
        }

        @Override
        public String clientName() {
          return real.clientName();
        }

        @Override
        public void close() {
          closes.incrementAndGet();
          real.close();
        }
      };
    }
  }
}
