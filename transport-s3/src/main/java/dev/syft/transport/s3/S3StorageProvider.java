package dev.syft.transport.s3;

import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.StorageProvider;
import dev.syft.transport.blob.BlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
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
import software.amazon.awssdk.services.s3.model.S3Exception;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code s3://bucket/prefix?endpoint=http://host:port&region=us-east-1} (options from the client's
 * config win over the query). Credentials: {@code access_key_id} + {@code secret_access_key} options,
 * else {@code profile=NAME}, else the AWS default chain (environment, {@code ~/.aws}, instance role).
 *
 * <p>Identity: the bucket administrator maps every access key to its owner's e-mail in the object
 * {@code <prefix>.syft-identities.json} ({@code {"access_keys": {"AKIA...": "alice@example.com"}}}),
 * which peers may read but not write (README). {@link #open} refuses an e-mail the map does not give
 * the credentials' access key, so a client cannot claim another peer's drive.
 */
public final class S3StorageProvider implements StorageProvider {
  public static final String SCHEME = "s3";
  /** The identity map, at the top of the prefix (a reserved name: no drive can be called that). */
  public static final String IDENTITY_MAP = ".syft-identities.json";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public String scheme() {
    return SCHEME;
  }

  /**
   * {@code syft init}: connects once, so a wrong identity (the map gives the credentials to another
   * e-mail), bad credentials or an unknown host key are refused before a home is created. Creates
   * nothing on the bucket.
   */
  @Override
  public java.util.Optional<String> prepare(URI uri, String email, Map<String, String> options) throws IOException {
    open(uri, email, options).close();
    return java.util.Optional.empty();
  }

  @Override
  public Storage open(URI uri, String email, Map<String, String> options) throws IOException {
    S3Location loc = S3Location.parse(uri, options);
    AwsCredentialsProvider creds = credentials(loc.options());
    S3Client client = client(loc, creds);
    try {
      S3BlobStore store = new S3BlobStore(client, loc.bucket(), loc.prefix(), true);
      String akid = creds.resolveCredentials().accessKeyId();
      verifyIdentity(store, akid, BlobStorage.identityOf(email));
      return new BlobStorage(store, email, store.toString(), true);
    } catch (IOException | RuntimeException e) {
      client.close();
      if (e instanceof SdkException sdk) {
        throw S3BlobStore.map(sdk, "open " + loc);
      }
      throw e;
    }
  }

  /** Refuses unless the bucket's identity map gives {@code accessKeyId} exactly {@code email}. */
  static void verifyIdentity(S3BlobStore store, String accessKeyId, String email) throws IOException {
    Map<?, ?> keys;
    try (InputStream in = store.get(IDENTITY_MAP)) {
      Object v = JSON.readValue(in.readNBytes(1 << 20), Map.class).get("access_keys");
      keys = v instanceof Map<?, ?> m ? m : Map.of();
    } catch (StorageException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        throw new StorageException(Kind.FORBIDDEN, store + " has no identity map " + IDENTITY_MAP
            + ": the bucket administrator must map access key " + accessKeyId + " to " + email
            + " there (see the transport-s3 README)");
      }
      throw e;
    } catch (tools.jackson.core.JacksonException e) {
      throw new StorageException(Kind.INVALID, "the identity map " + store + IDENTITY_MAP + " is not valid JSON: "
          + e.getOriginalMessage());
    }
    Object mapped = keys.get(accessKeyId);
    if (mapped == null) {
      throw new StorageException(Kind.FORBIDDEN, "access key " + accessKeyId + " is not in the identity map "
          + store + IDENTITY_MAP + "; ask the bucket administrator to map it to " + email);
    }
    String m = mapped.toString().trim().toLowerCase(Locale.ROOT);
    if (!m.equals(email)) {
      throw new StorageException(Kind.FORBIDDEN, "access key " + accessKeyId + " belongs to " + m + " (per "
          + store + IDENTITY_MAP + "), not to " + email + ": use " + m + "'s home or that e-mail's own key");
    }
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
      Map<String, String> o = new LinkedHashMap<>();
      String q = uri.getRawQuery();
      if (q != null && !q.isEmpty()) {
        for (String pair : q.split("&")) {
          int eq = pair.indexOf('=');
          o.put(URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8),
              eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "true");
        }
      }
      if (given != null) {
        o.putAll(given);
      }
      return new S3Location(bucket, path.isEmpty() ? "" : path + "/", Map.copyOf(o));
    }

    @Override
    public String toString() {
      return "s3://" + bucket + "/" + prefix;
    }
  }

}
