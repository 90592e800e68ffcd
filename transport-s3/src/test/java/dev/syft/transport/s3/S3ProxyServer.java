package dev.syft.transport.s3;

import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One in-memory S3Proxy on loopback for the whole test JVM (started on first use), with one access
 * key. Each fixture gets its own fresh bucket.
 */
final class S3ProxyServer {
  static final String KEY = "AKIDSYFTTEST";
  static final String SECRET = "test-secret-key";
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static S3ProxyServer instance;

  final S3Proxy proxy;
  final String endpoint;
  final S3Client client;

  private S3ProxyServer() throws Exception {
    proxy = S3Proxy.builder()
        .blobStore(BlobStores.create("transient", new Properties()))
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET)
        .build();
    proxy.start();
    org.awaitility.Awaitility.await().until(() -> "STARTED".equals(proxy.getState()));
    endpoint = "http://127.0.0.1:" + proxy.getPort();
    client = S3StorageProvider.client(
        S3StorageProvider.S3Location.parse(URI.create("s3://x/?endpoint=" + endpoint), java.util.Map.of()),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        proxy.stop();
      } catch (Exception ignored) {
        // the JVM is going away
      }
    }));
  }

  static synchronized S3ProxyServer get() throws Exception {
    if (instance == null) {
      instance = new S3ProxyServer();
    }
    return instance;
  }

  /** A new empty bucket. */
  String newBucket() {
    String name = "syft-test-" + BUCKETS.incrementAndGet();
    client.createBucket(b -> b.bucket(name));
    return name;
  }

  /** Writes the bucket's identity map: the one test access key belongs to {@code email}. */
  void mapKeyTo(String bucket, String prefix, String email) {
    client.putObject(b -> b.bucket(bucket).key(prefix + S3StorageProvider.IDENTITY_MAP),
        software.amazon.awssdk.core.sync.RequestBody.fromString("{\"access_keys\":{\"" + KEY + "\":\"" + email + "\"}}"));
  }
}
