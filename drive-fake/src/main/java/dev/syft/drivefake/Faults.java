package dev.syft.drivefake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realism toggles of a {@link FakeDriveServer}, changeable while it runs. All off by default. Random
 * choices come from one seeded generator, so a failing test can be replayed from its seed.
 *
 * <ul>
 *   <li>{@link #rateLimit(double)}: answer 403 {@code userRateLimitExceeded} / 429 {@code rateLimitExceeded};
 *   <li>{@link #serverErrors(double, int)}: bursts of 500/502/503 ({@code backendError});
 *   <li>{@link #dropUploads(double)}: read half of an upload body, then drop the connection;
 *   <li>{@link #loseResponses(double)}: carry a mutation out, then drop the connection before answering
 *       (the client cannot know it happened);
 *   <li>{@link #cutDownloads(double)}: send half of a media download, then drop the connection;
 *   <li>{@link #indexLag(Duration)}: new items stay out of searches ({@code files.list}) for this long,
 *       and moved items keep their old parents in searches; get-by-id and changes are immediate.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class Faults {
  private SplittableRandom random = new SplittableRandom(1);
  private long seed = 1;
  private double rateLimit;
  private double serverErrors;
  private int burst = 1;
  private int burstLeft;
  private double dropUploads;
  private double loseResponses;
  private double cutDownloads;
  private Duration indexLag = Duration.ZERO;
  private final List<String> injected = new ArrayList<>();
  private Runnable onLagChange = () -> {};

  Faults() {}

  /** A fault the server can inject into one request. */
  public enum Fault {
    /** 403 {@code userRateLimitExceeded}. */
    RATE_LIMIT_403,
    /** 429 {@code rateLimitExceeded}. */
    RATE_LIMIT_429,
    /** 500/502/503 {@code backendError}. */
    SERVER_ERROR,
    /** 400 {@code badRequest}, as resumable uploads sometimes answer transiently. */
    BAD_REQUEST_400,
    /** Read half the request body, then drop the connection. */
    DROP_UPLOAD,
    /** Carry the request out, then drop the connection without answering. */
    LOSE_RESPONSE,
    /** Send half of a media body, then drop the connection. */
    CUT_DOWNLOAD,
    /** Answer nothing for two seconds, then drop the connection (a stalled server). */
    HANG
  }

  /** What the server should do with one request. */
  enum Action { NONE, RATE_LIMIT_403, RATE_LIMIT_429, SERVER_ERROR, BAD_REQUEST_400, DROP_UPLOAD, LOSE_RESPONSE,
    CUT_DOWNLOAD, HANG }

  private final java.util.Map<String, java.util.ArrayDeque<Fault>> scripted = new java.util.HashMap<>();

  /**
   * Injects {@code fault} into the next {@code times} requests to {@code endpoint} (as named by {@link
   * FakeDriveServer#counts()}, e.g. {@code files.create}), before any random fault. A fault that does
   * not fit the request (a cut download for a listing) makes it fail with a 503 instead.
   */
  public synchronized Faults next(String endpoint, Fault fault, int times) {
    java.util.ArrayDeque<Fault> q = scripted.computeIfAbsent(endpoint, k -> new java.util.ArrayDeque<>());
    for (int k = 0; k < times; k++) {
      q.add(fault);
    }
    return this;
  }

  /** Re-seeds the generator. */
  public synchronized Faults seed(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    return this;
  }

  public synchronized long seed() {
    return seed;
  }

  /** Probability that a request is refused with a rate-limit error. */
  public synchronized Faults rateLimit(double p) {
    rateLimit = check(p);
    return this;
  }

  /** Probability that a request starts a burst of {@code burstLength} consecutive 5xx answers. */
  public synchronized Faults serverErrors(double p, int burstLength) {
    serverErrors = check(p);
    burst = Math.max(1, burstLength);
    return this;
  }

  /** Probability that an upload request (multipart or a resumable chunk) loses its connection half-way. */
  public synchronized Faults dropUploads(double p) {
    dropUploads = check(p);
    return this;
  }

  /** Probability that a mutating request is carried out but its answer is lost. */
  public synchronized Faults loseResponses(double p) {
    loseResponses = check(p);
    return this;
  }

  /** Probability that a media download is cut half-way. */
  public synchronized Faults cutDownloads(double p) {
    cutDownloads = check(p);
    return this;
  }

  /** How long new or moved items take to show up in searches. */
  public Faults indexLag(Duration lag) {
    synchronized (this) {
      indexLag = lag == null ? Duration.ZERO : lag;
    }
    onLagChange.run();
    return this;
  }

  public synchronized Duration indexLag() {
    return indexLag;
  }

  /** Turns every toggle off (the seed stays). */
  public Faults none() {
    synchronized (this) {
      rateLimit = 0;
      serverErrors = 0;
      burstLeft = 0;
      dropUploads = 0;
      loseResponses = 0;
      cutDownloads = 0;
      scripted.clear();
    }
    return indexLag(Duration.ZERO);
  }

  /** Descriptions of the faults injected so far, in order. */
  public synchronized List<String> injected() {
    return Collections.unmodifiableList(new ArrayList<>(injected));
  }

  public synchronized int injectedCount() {
    return injected.size();
  }

  synchronized void onLagChange(Runnable r) {
    onLagChange = r;
  }

  /**
   * Picks the fault for a request (at most one).
   *
   * @param upload the request carries upload content
   * @param mutation the request changes state
   * @param download the request returns media
   */
  synchronized Action pick(String endpoint, boolean upload, boolean mutation, boolean download) {
    Action a = Action.NONE;
    java.util.ArrayDeque<Fault> q = scripted.get(endpoint);
    if (q != null && !q.isEmpty()) {
      Fault f = q.poll();
      a = Action.valueOf(f.name());
      if ((a == Action.DROP_UPLOAD && !upload) || (a == Action.LOSE_RESPONSE && !mutation)
          || (a == Action.CUT_DOWNLOAD && !download)) {
        a = Action.SERVER_ERROR;
      }
    } else if (burstLeft > 0) {
      burstLeft--;
      a = Action.SERVER_ERROR;
    } else if (serverErrors > 0 && random.nextDouble() < serverErrors) {
      burstLeft = burst - 1;
      a = Action.SERVER_ERROR;
    } else if (rateLimit > 0 && random.nextDouble() < rateLimit) {
      a = random.nextBoolean() ? Action.RATE_LIMIT_403 : Action.RATE_LIMIT_429;
    } else if (upload && dropUploads > 0 && random.nextDouble() < dropUploads) {
      a = Action.DROP_UPLOAD;
    } else if (mutation && loseResponses > 0 && random.nextDouble() < loseResponses) {
      a = Action.LOSE_RESPONSE;
    } else if (download && cutDownloads > 0 && random.nextDouble() < cutDownloads) {
      a = Action.CUT_DOWNLOAD;
    }
    if (a != Action.NONE) {
      injected.add(a + " " + endpoint);
    }
    return a;
  }

  /** 500, 502 or 503 for a server-error fault. */
  synchronized int serverErrorStatus() {
    int[] codes = {500, 502, 503};
    return codes[random.nextInt(codes.length)];
  }

  private static double check(double p) {
    if (p < 0 || p > 1) {
      throw new IllegalArgumentException("a probability must be in [0, 1], was " + p);
    }
    return p;
  }
}
