package dev.syft.transport.gdrive.internal;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.gdrive.GDriveAuthException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Classifies what the Drive client throws: which failures are worth retrying (WEAKNESSES.md 85) and
 * which {@link StorageException.Kind} a caller sees.
 */
public final class DriveErrors {
  private static final Set<String> RATE_LIMIT_REASONS =
      Set.of("rateLimitExceeded", "userRateLimitExceeded", "backendError", "internalError");

  private DriveErrors() {}

  /** A classified failure. */
  public record Failure(Kind kind, boolean retryable, int status, String reason, String message) {}

  /**
   * @param upload the request carried upload content (a 400 {@code badRequest} there is a known
   *     transient failure of resumable uploads)
   */
  public static Failure classify(IOException e, boolean upload) {
    if (e instanceof GDriveAuthException a) {
      return new Failure(a.kind(), false, 0, a.code(), a.getMessage());
    }
    if (e instanceof StorageException s) {
      return new Failure(s.kind(), s.isTransient(), 0, null, s.getMessage());
    }
    if (invalidGrant(e)) {
      return new Failure(Kind.FORBIDDEN, false, 400, "invalid_grant", e.getMessage());
    }
    if (e instanceof GoogleJsonResponseException g) {
      GoogleJsonError d = g.getDetails();
      String reason = d == null || d.getErrors() == null || d.getErrors().isEmpty() ? null : d.getErrors().get(0).getReason();
      String msg = d != null && d.getMessage() != null ? d.getMessage() : g.getStatusMessage();
      return byStatus(g.getStatusCode(), reason, msg, upload);
    }
    if (e instanceof HttpResponseException h) {
      return byStatus(h.getStatusCode(), null, h.getStatusMessage(), upload);
    }
    if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
      return new Failure(Kind.TRANSIENT, false, 0, "interrupted", "interrupted");
    }
    if (transportFault(e)) {
      return new Failure(Kind.TRANSIENT, true, 0, e.getClass().getSimpleName(), describe(e));
    }
    return new Failure(Kind.TRANSIENT, false, 0, e.getClass().getSimpleName(), describe(e));
  }

  public static Failure byStatus(int status, String reason, String message, boolean upload) {
    String m = message == null ? "HTTP " + status : message;
    if (status == 429 || status == 408 || status >= 500) {
      return new Failure(Kind.TRANSIENT, true, status, reason, m);
    }
    if (status == 403 && reason != null && RATE_LIMIT_REASONS.contains(reason)) {
      return new Failure(Kind.TRANSIENT, true, status, reason, m);
    }
    if (status == 400 && upload && (reason == null || reason.equals("badRequest"))) {
      return new Failure(Kind.INVALID, true, status, reason, m);
    }
    return switch (status) {
      case 400, 416 -> new Failure(Kind.INVALID, false, status, reason, m);
      case 401, 403 -> new Failure(Kind.FORBIDDEN, false, status, reason, m);
      case 404, 410 -> new Failure(Kind.NOT_FOUND, false, status, reason, m);
      case 409 -> new Failure(Kind.ALREADY_EXISTS, false, status, reason, m);
      case 413 -> new Failure(Kind.TOO_LARGE, false, status, reason, m);
      default -> new Failure(Kind.INVALID, false, status, reason, m);
    };
  }

  /** Socket and TLS failures that a new attempt may not meet: resets, timeouts, cut responses. */
  static boolean transportFault(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof SSLException
          || t instanceof EOFException || t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof java.net.HttpRetryException) {
        return true;
      }
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("unexpected end of file") || m.contains("premature eof") || m.contains("connection reset")
          || m.contains("broken pipe") || m.contains("remote host terminated")
          || m.contains("insufficient bytes") || m.contains("connection abort") || m.contains("bad status line")
          || m.contains("error writing request body")) {
        return true;
      }
    }
    return false;
  }

  /** True when Google's token endpoint refused the refresh token ({@code invalid_grant}). */
  public static boolean invalidGrant(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("invalid_grant")) {
        return true;
      }
    }
    return false;
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
