package dev.syft.transport.gdrive.internal;

import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.decorator.RetryPolicy;
import dev.syft.transport.gdrive.GDriveAuthException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry policy of every Drive call (WEAKNESSES.md 85): bounded exponential back-off with
 * jitter on what {@link DriveErrors} calls retryable; every failure leaves as a {@link
 * StorageException} a user can read. Thread-safe.
 */
public final class DriveCalls {
  private static final Logger log = LoggerFactory.getLogger(DriveCalls.class);

  private final RetryPolicy policy;
  private final String authHint;
  private final AtomicLong retries = new AtomicLong();

  /** @param authHint how the user fixes an expired token, appended to invalid_grant errors */
  public DriveCalls(RetryPolicy policy, String authHint) {
    this.policy = policy;
    this.authHint = authHint;
  }

  /** One HTTP exchange (or a few that must be repeated together). */
  @FunctionalInterface
  public interface Call<T> {
    /** @param attempt 1 for the first try */
    T run(int attempt) throws IOException;
  }

  public RetryPolicy policy() {
    return policy;
  }

  /** Retries made so far (for tests and logs). */
  public long retries() {
    return retries.get();
  }

  public <T> T run(String what, Call<T> call) throws StorageException {
    return run(what, false, call);
  }

  /**
   * Runs {@code call}, retrying retryable failures.
   *
   * @param what a short description for messages, e.g. "list folder 'inbox'"
   * @param upload the call sends upload content (changes what counts as transient)
   */
  public <T> T run(String what, boolean upload, Call<T> call) throws StorageException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run(attempt);
      } catch (IOException e) {
        DriveErrors.Failure f = DriveErrors.classify(e, upload);
        if (!f.retryable() || attempt >= policy.maxAttempts()) {
          throw toStorageException(what, e, f, attempt);
        }
        Duration d = policy.delay(attempt, ThreadLocalRandom.current().nextDouble());
        retries.incrementAndGet();
        log.debug("{} failed ({}), retry {} of {} in {} ms", what, f.message(), attempt,
            policy.maxAttempts() - 1, d.toMillis());
        try {
          policy.sleeper().sleep(d);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new StorageException(Kind.TRANSIENT, what + ": interrupted while waiting to retry", ie);
        }
      }
    }
  }

  /** The exception a caller sees for a failure that is not (or no longer) retried. */
  public StorageException toStorageException(String what, IOException e, DriveErrors.Failure f, int attempts) {
    if (e instanceof StorageException s) {
      return s;
    }
    if ("invalid_grant".equals(f.reason())) {
      return new GDriveAuthException("gdrive-token-expired", "Google refused the saved sign-in (invalid_grant): the "
          + "token expired or was revoked. Google expires the tokens of OAuth apps still in \"Testing\" publishing "
          + "status after 7 days. " + authHint, e);
    }
    if (f.status() == 401) {
      return new GDriveAuthException("gdrive-token-expired", "Google rejected the access token (401 "
          + f.message() + "). " + authHint, e);
    }
    if (e instanceof InterruptedIOException && "interrupted".equals(f.reason())) {
      Thread.currentThread().interrupt();
    }
    String tries = attempts > 1 ? " (after " + attempts + " attempts)" : "";
    String status = f.status() > 0 ? "Drive answered " + f.status() + (f.reason() == null ? "" : " " + f.reason()) + ": "
        : "";
    return new StorageException(f.kind(), what + " failed" + tries + ": " + status + f.message(), e);
  }
}
