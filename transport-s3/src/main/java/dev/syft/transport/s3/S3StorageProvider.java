package dev.syft.transport.s3;

import dev.syft.transport.blob.BlobStorageProvider;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code s3://bucket/prefix?endpoint=http://host:port&region=us-east-1} (options from the client's
 * config win over the query). Credentials: {@code access_key_id} + {@code secret_access_key} options,
 * else {@code profile=NAME}, else the AWS default chain (environment, {@code ~/.aws}, instance role).
 *
 * <p>Identity: the bucket administrator maps every access key to its owner's e-mail in the object
 * {@code <prefix>.syft-identities.json} ({@code {"access_keys": {"AKIA...": "alice@example.com"}}}),
 * which peers may read but not write (README); {@link BlobStorageProvider} checks it.
 */
public final class S3StorageProvider extends BlobStorageProvider {
  public static final String SCHEME = "s3";
  /** The identity map, at the top of the prefix (a reserved name: no drive can be called that). */
  public static final String IDENTITY_MAP = BlobStorageProvider.IDENTITY_MAP;

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  protected Connection connect(URI uri, Map<String, String> options) throws IOException {
    S3Location loc = S3Location.parse(uri, options);
    AwsCredentialsProvider creds = credentials(loc.options());
    S3Client client = client(loc, creds);
    try {
      S3BlobStore store = new S3BlobStore(client, loc.bucket(), loc.prefix(), true);
      return new Connection(store, login(store, creds.resolveCredentials().accessKeyId()), store.toString());
    } catch (RuntimeException e) {
      client.close();
      if (e instanceof SdkException sdk) {
        throw S3BlobStore.map(sdk, "open " + loc);
      }
      throw e;
    }
  }

  @Override
  protected IOException translate(RuntimeException e, Connection c) {
    return e instanceof SdkException sdk ? S3BlobStore.map(sdk, "open " + c.description()) : null;
  }

  static Login login(S3BlobStore store, String accessKeyId) {
    return new Login("access_keys", accessKeyId, "access key " + accessKeyId, store.toString(), "bucket administrator",
        "transport-s3", "key");
  }

  static AwsCredentialsProvider credentials(Map<String, String> o) {
    String id = o.get("access_key_id");
    String secret = o.get("secret_access_key");
    if (id != null && secret != null) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
    }
    if (o.get("profile") != null) {
      return ProfileCredentialsProvider.builder().profileName(o.get("profile")).build();
    }
    return DefaultCredentialsProvider.builder().build();
  }

  static S3Client client(S3Location loc, AwsCredentialsProvider creds) {
    var b = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(creds)
        .region(Region.of(loc.options().getOrDefault("region", "us-east-1")))
        // S3-compatible stores (MinIO, Ceph, S3Proxy) may not know the SDK's default trailing checksums
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        // send bodies whole: with "Expect: 100-continue" a store answering 412 to a conditional create
        // before the body reaches it surfaces as a write error instead of "already exists"
        .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            return context.httpRequest().toBuilder().removeHeader("Expect").build();
          }
        }));
    String endpoint = loc.options().get("endpoint");
    if (endpoint != null) {
      b.endpointOverride(URI.create(endpoint));
    }
    b.forcePathStyle(Boolean.parseBoolean(loc.options().getOrDefault("path_style", endpoint != null ? "true" : "false")));
    return b.build();
  }

  /** Where an {@code s3:} URI points: bucket, key prefix (empty or ending with '/'), merged options. */
  record S3Location(String bucket, String prefix, Map<String, String> options) {
    static S3Location parse(URI uri, Map<String, String> given) {
      if (uri.getScheme() == null || !SCHEME.equalsIgnoreCase(uri.getScheme()) || uri.isOpaque()) {
        throw new IllegalArgumentException("not an s3: URI: " + uri + " (write s3://bucket/prefix?endpoint=...)");
      }
      String bucket = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
      if (bucket == null || bucket.isBlank()) {
        throw new IllegalArgumentException("an s3: URI needs a bucket, e.g. s3://my-bucket/syft");
      }
      String path = uri.getPath() == null ? "" : uri.getPath();
      while (path.startsWith("/")) {
        path = path.substring(1);
      }
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      return new S3Location(bucket, path.isEmpty() ? "" : path + "/", BlobStorageProvider.options(uri, given));
    }

    @Override
    public String toString() {
      return "s3://" + bucket + "/" + prefix;
    }
  }

}
