package dev.syft.transport.s3;

import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.blob.BlobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link BlobStore} in one S3 bucket under a key prefix. A file is the object {@code prefix+key}; a
 * folder is the small marker object {@code prefix+key+"/.syft-folder"} (so empty folders exist and
 * have a time; a marker named {@code key/} is avoided because some S3-compatible stores fold a
 * trailing slash into the plain key). Exclusive puts send {@code If-None-Match: *}: the bucket refuses
 * an existing key with 412, atomically against every writer, which makes message files exactly-once.
 */
final class S3BlobStore implements BlobStore {
  /** Content up to this size is buffered in memory before upload; larger content is spooled to a temporary file. */
  private static final int MEMORY_LIMIT = 8 << 20;
  /** The object that makes a folder exist. */
  static final String FOLDER_MARKER = ".syft-folder";

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final boolean closeClient;
  /** Keys per listing request; S3's own maximum (1,000) except in tests that exercise paging cheaply. */
  private final int listPageSize;

  /**
   * @param prefix key prefix, empty or ending with '/'
   */
  S3BlobStore(S3Client s3, String bucket, String prefix, boolean closeClient) {
    this(s3, bucket, prefix, closeClient, 1_000);
  }

  S3BlobStore(S3Client s3, String bucket, String prefix, boolean closeClient, int listPageSize) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    this.closeClient = closeClient;
    this.listPageSize = listPageSize;
  }

  S3Client client() {
    return s3;
  }

  String bucket() {
    return bucket;
  }

  String prefix() {
    return prefix;
  }

  @Override
  public Optional<Blob> stat(String key) throws IOException {
    return head(prefix + key).map(h -> new Blob(name(key), h.contentLength(), stamp(h.lastModified(), h.eTag())));
  }

  @Override
  public Optional<Instant> folder(String key) throws IOException {
    return head(marker(key)).map(HeadObjectResponse::lastModified);
  }

  private Optional<HeadObjectResponse> head(String objectKey) throws IOException {
    try {
      return Optional.of(s3.headObject(b -> b.bucket(bucket).key(objectKey)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw map(e, "look up " + objectKey);
    } catch (SdkException e) {
      throw map(e, "look up " + objectKey);
    }
  }

  @Override
  public Listing list(String key) throws IOException {
    String p = prefix + key + "/";
    List<Blob> files = new ArrayList<>();
    List<Blob> folders = new ArrayList<>();
    try {
      ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(p).delimiter("/").maxKeys(listPageSize).build();
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(req)) {
        for (S3Object o : page.contents()) {
          String rest = o.key().substring(p.length());
          if (!rest.isEmpty() && rest.indexOf('/') < 0) {
            files.add(new Blob(rest, o.size(), stamp(o.lastModified(), o.eTag())));
          }
        }
        for (CommonPrefix cp : page.commonPrefixes()) {
          String rest = cp.prefix().substring(p.length());
          if (rest.endsWith("/") && rest.length() > 1) {
            folders.add(new Blob(rest.substring(0, rest.length() - 1), 0, null));
          }
        }
      }
    } catch (SdkException e) {
      throw map(e, "list " + p);
    }
    return new Listing(files, folders);
  }

  @Override
  public InputStream get(String key) throws IOException {
    try {
      return s3.getObject(b -> b.bucket(bucket).key(prefix + key));
    } catch (SdkException e) {
      throw map(e, "read " + prefix + key);
    }
  }


  @Override
  public Blob put(String key, InputStream content, boolean exclusive) throws IOException {
    String objectKey = prefix + key;
    Path spool = null;
    MessageDigest md5 = md5();
    content = new DigestInputStream(content, md5);
    try {
      ByteArrayOutputStream mem = new ByteArrayOutputStream();
      copy(content, mem, MEMORY_LIMIT);
      byte[] more = new byte[1 << 16]; // whole buffers only: some streams yield by the chunk
      int r = content.readNBytes(more, 0, more.length);
      RequestBody body;
      if (r <= 0) {
        body = RequestBody.fromBytes(mem.toByteArray());
      } else {
        spool = Files.createTempFile("syft-s3-upload-", ".part");
        try (OutputStream out = Files.newOutputStream(spool)) {
          mem.writeTo(out);
          out.write(more, 0, r);
          content.transferTo(out);
        }
        body = RequestBody.fromFile(spool);
      }
      PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(objectKey);
      if (exclusive) {
        req.ifNoneMatch("*");
      }
      s3.putObject(req.build(), body);
    } catch (SdkException e) {
      if (exclusive && (!(e instanceof S3Exception s) || s.statusCode() == 412)) {
        // 412 may answer the SDK's own retry of an attempt that went through, and a server may answer
        // 412 before reading the body and close the connection (a write error here); the object's ETag
        // (the MD5 of a single-part upload) tells whether the key holds these bytes or another writer's
        Optional<HeadObjectResponse> h = head(objectKey);
        if (h.isPresent()) {
          String etag = h.get().eTag() == null ? "" : h.get().eTag().replace("\"", "");
          if (etag.equalsIgnoreCase(HexFormat.of().formatHex(md5.digest()))) {
            return new Blob(name(key), h.get().contentLength(), stamp(h.get().lastModified(), h.get().eTag()));
          }
          throw new StorageException(Kind.ALREADY_EXISTS, "'" + name(key) + "' already exists");
        }
      }
      throw map(e, "write " + objectKey);
    } finally {
      if (spool != null) {
        Files.deleteIfExists(spool);
      }
    }
    // the entry must carry the store's own time (resumed reads compare it), so ask for it
    return stat(key).orElseThrow(() -> new StorageException(Kind.TRANSIENT, "'" + name(key) + "' vanished after writing"));
  }

  /**
   * S3 times have whole seconds, so two versions of one size written within a second would look the
   * same to a resumed download (which checks size and time before skipping what it has), and could be
   * spliced. The sub-second part is therefore taken from the ETag (the content's digest): the same in
   * listings and look-ups, different for different content, and equal only where the bytes are.
   */
  static Instant stamp(Instant lastModified, String eTag) {
    if (lastModified == null) {
      return Instant.EPOCH;
    }
    long nanos = eTag == null ? 0 : Math.floorMod(eTag.replace("\"", "").hashCode(), 1_000_000_000);
    return Instant.ofEpochSecond(lastModified.getEpochSecond(), nanos);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    while (total < limit) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
      if (r < 0) {
        break;
      }
      out.write(buf, 0, r);
      total += r;
    }
    return total;
  }

  @Override
  public void makeFolder(String key) throws IOException {
    try {
      // unconditional: a racing creator rewrites the same marker (listings do not show folder times); not
      // empty, because empty PUT bodies sporadically failed as "Error writing request body" over the
      // url-connection client against S3Proxy
      s3.putObject(b -> b.bucket(bucket).key(marker(key)), RequestBody.fromString("syft folder\n"));
    } catch (SdkException e) {
      throw map(e, "create folder " + prefix + key);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    deleteObject(prefix + key);
  }

  private void deleteObject(String objectKey) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(objectKey));
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw map(e, "delete " + objectKey);
      }
    } catch (SdkException e) {
      throw map(e, "delete " + objectKey);
    }
  }

  @Override
  public void deleteFolder(String key) throws IOException {
    String p = prefix + key + "/";
    List<String> keys = new ArrayList<>();
    try {
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(p).maxKeys(listPageSize))) {
        for (S3Object o : page.contents()) {
          keys.add(o.key());
        }
      }
    } catch (SdkException e) {
      throw map(e, "list " + p);
    }
    // contents first, the folder's own marker last, so a failure part-way leaves a folder that still exists
    keys.remove(marker(key));
    for (String k : keys) {
      deleteObject(k);
    }
    deleteObject(marker(key));
  }

  @Override
  public void move(String from, String to) throws IOException {
    try {
      s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(prefix + from).destinationBucket(bucket)
          .destinationKey(prefix + to));
    } catch (SdkException e) {
      throw map(e, "copy " + prefix + from);
    }
    deleteObject(prefix + from);
  }

  /** Classifies an SDK failure as the SPI asks. */
  static StorageException map(SdkException e, String what) {
    if (e instanceof S3Exception s) {
      int code = s.statusCode();
      String detail = s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null
          ? s.awsErrorDetails().errorCode() : "HTTP " + code;
      String msg = "cannot " + what + ": " + detail;
      if (code == 404) {
        return new StorageException(Kind.NOT_FOUND, msg, e);
      }
      if (code == 401 || code == 403) {
        return new StorageException(Kind.FORBIDDEN, msg + " (the bucket policy or the credentials refuse it)", e);
      }
      if (code == 409 || code == 429 || code >= 500 || code == 408) {
        return new StorageException(Kind.TRANSIENT, msg, e);
      }
      return new StorageException(Kind.INVALID, msg, e);
    }
    if (e instanceof SdkClientException) {
      return new StorageException(Kind.TRANSIENT, "cannot " + what + ": " + e.getMessage(), e);
    }
    return new StorageException(Kind.TRANSIENT, "cannot " + what + ": " + e.getMessage(), e);
  }

  private String marker(String key) {
    return prefix + key + "/" + FOLDER_MARKER;
  }

  private static String name(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  @Override
  public void close() {
    if (closeClient) {
      s3.close();
    }
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix;
  }
}
