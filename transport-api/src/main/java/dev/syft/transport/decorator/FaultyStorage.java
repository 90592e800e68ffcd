package dev.syft.transport.decorator;

import dev.syft.transport.Entry;
import dev.syft.transport.Page;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects the faults of real cloud stores (TESTING-PATTERNS.md 3.5) into any storage: transient
 * failures before a call (nothing happened) or after it (the effect happened, the caller is told it
 * failed), downloads cut mid-stream, creates applied twice, latency, and listings that show new items
 * late. Faults are seeded-random per operation or scripted ("the 3rd WRITE fails after writing").
 * Every injected fault is logged with a running number, like Syncany's unreliable transport.
 *
 * <p>All injected failures are {@link StorageException.Kind#TRANSIENT}: the kind a {@link
 * RetryingStorage} retries. Thread-safe.
 */
public final class FaultyStorage extends ForwardingStorage {
  private static final Logger log = LoggerFactory.getLogger(FaultyStorage.class);

  /** What a scripted fault does. */
  public enum Fault {
    /** Fail before calling the delegate: nothing happened. */
    BEFORE,
    /** Call the delegate, then fail: the effect happened but the caller sees an error. */
    AFTER,
    /** {@code READ} only: the stream fails part-way through the content. */
    CUT_READ,
    /** {@code WRITE} with {@code CREATE} only: the create is applied twice (a retried upload). */
    DUPLICATE_CREATE
  }

  private final SplittableRandom random;
  private final Map<Operation, Double> before;
  private final Map<Operation, Double> after;
  private final Map<Operation, Map<Long, Fault>> scripts;
  private final double cutReads;
  private final double duplicateCreates;
  private final Map<Operation, Duration> latency;
  private final Sleeper sleeper;
  private final Duration listingLag;
  private final Clock clock;
  private final java.util.function.BooleanSupplier outage;
  private final Map<Operation, AtomicLong> calls = new EnumMap<>(Operation.class);
  private final AtomicLong injectedCount = new AtomicLong();
  private final List<String> injected = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

  private FaultyStorage(Builder b) {
    super(b.delegate);
    this.random = new SplittableRandom(b.seed);
    this.before = Map.copyOf(b.before);
    this.after = Map.copyOf(b.after);
    Map<Operation, Map<Long, Fault>> s = new EnumMap<>(Operation.class);
    b.scripts.forEach((k, v) -> s.put(k, Map.copyOf(v)));
    this.scripts = s;
    this.cutReads = b.cutReads;
    this.duplicateCreates = b.duplicateCreates;
    this.latency = Map.copyOf(b.latency);
    this.sleeper = b.sleeper;
    this.listingLag = b.listingLag;
    this.clock = b.clock;
    this.outage = b.outage;
    for (Operation op : Operation.values()) {
      calls.put(op, new AtomicLong());
    }
  }

  public static Builder builder(Storage delegate) {
    return new Builder(delegate);
  }

  /** The injected faults so far, one line each ({@code "3 WRITE#2 AFTER msgv2_..."}). */
  public List<String> injected() {
    synchronized (injected) {
      return List.copyOf(injected);
    }
  }

  /** How many faults were injected. */
  public long injectedCount() {
    return injectedCount.get();
  }

  @Override
  protected <T> T invoke(Operation op, String subject, Call<T> call) throws IOException {
    long n = calls.get(op).incrementAndGet();
    Fault scripted = scripts.getOrDefault(op, Map.of()).get(n);
    delay(op);
    if (outage.getAsBoolean()) {
      throw inject(op, n, "OUTAGE", subject);
    }
    if (scripted == Fault.BEFORE || (scripted == null && chance(before.get(op)))) {
      throw inject(op, n, "BEFORE", subject);
    }
    T result = call.run();
    if (scripted == Fault.AFTER || (scripted == null && chance(after.get(op)))) {
      throw inject(op, n, "AFTER", subject);
    }
    return filterLagging(result);
  }

  @Override
  public InputStream read(Entry file) throws IOException {
    long next = calls.get(Operation.READ).get() + 1;
    boolean scriptedCut = scripts.getOrDefault(Operation.READ, Map.of()).get(next) == Fault.CUT_READ;
    InputStream in = super.read(file);
    if (file.size() > 0 && (scriptedCut || chance(cutReads))) {
      long at = nextLong(file.size());
      return new CutStream(in, at, next, file.name());
    }
    return in;
  }

  @Override
  public Entry write(Entry folder, String name, InputStream content, WriteMode mode) throws IOException {
    long next = calls.get(Operation.WRITE).get() + 1;
    boolean scriptedDup = scripts.getOrDefault(Operation.WRITE, Map.of()).get(next) == Fault.DUPLICATE_CREATE;
    if (mode != WriteMode.CREATE || !(scriptedDup || chance(duplicateCreates))) {
      return super.write(folder, name, content, mode);
    }
    byte[] data = content.readAllBytes();
    Entry first = super.write(folder, name, new ByteArrayInputStream(data), mode);
    record(Operation.WRITE, next, "DUPLICATE_CREATE", name);
    try {
      delegate.write(folder, name, new ByteArrayInputStream(data), mode);
    } catch (StorageException e) {
      if (e.kind() != StorageException.Kind.ALREADY_EXISTS) {
        throw e;
      }
    }
    return first;
  }

  // ------------------------------------------------------------------ internals

  private void delay(Operation op) throws InterruptedIOException {
    Duration d = latency.get(op);
    if (d != null) {
      try {
        sleeper.sleep(d);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted during injected latency");
      }
    }
  }

  private StorageException inject(Operation op, long n, String what, String subject) {
    record(op, n, what, subject);
    return new StorageException(StorageException.Kind.TRANSIENT,
        "injected fault: " + op + " #" + n + " " + what.toLowerCase(java.util.Locale.ROOT) + " (" + subject + ")");
  }

  private void record(Operation op, long n, String what, String subject) {
    String line = injectedCount.incrementAndGet() + " " + op + "#" + n + " " + what + " " + subject;
    injected.add(line);
    log.debug("fault {}", line);
  }

  private boolean chance(Double p) {
    if (p == null || p <= 0) {
      return false;
    }
    synchronized (random) {
      return random.nextDouble() < p;
    }
  }

  private long nextLong(long bound) {
    synchronized (random) {
      return random.nextLong(bound);
    }
  }

  /** Hides entries that are new (recently modified and first seen recently) from lists and queries. */
  @SuppressWarnings("unchecked")
  private <T> T filterLagging(T result) {
    if (listingLag == null || listingLag.isZero()) {
      return result;
    }
    if (result instanceof Page page) {
      return (T) new Page(page.entries().stream().filter(this::shown).toList(), page.nextPageToken());
    }
    if (result instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Entry) {
      return (T) ((List<Entry>) list).stream().filter(this::shown).toList();
    }
    return result;
  }

  private boolean shown(Entry e) {
    Instant now = clock.instant();
    Instant seen = firstSeen.computeIfAbsent(e.id(), k -> now);
    Instant due = now.minus(listingLag);
    return seen.isBefore(due) || seen.equals(due) || !e.modified().isAfter(due);
  }

  private final class CutStream extends FilterInputStream {
    private final long cutAt;
    private final long call;
    private final String name;
    private long pos;

    CutStream(InputStream in, long cutAt, long call, String name) {
      super(in);
      this.cutAt = cutAt;
      this.call = call;
      this.name = name;
    }

    private void check() throws StorageException {
      if (pos >= cutAt) {
        pos = Long.MIN_VALUE; // fail once: later reads fail as a closed connection would
        throw inject(Operation.READ, call, "CUT_READ", name);
      }
      if (pos < 0) {
        throw new StorageException(StorageException.Kind.TRANSIENT, "connection already reset");
      }
    }

    @Override
    public int read() throws IOException {
      check();
      int b = in.read();
      if (b >= 0) {
        pos++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      check();
      int n = in.read(b, off, (int) Math.min(len, cutAt - pos));
      if (n > 0) {
        pos += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }
  }

  /** Builder of a {@link FaultyStorage}; without any setting it injects nothing. */
  public static final class Builder {
    private final Storage delegate;
    private long seed = 1;
    private final Map<Operation, Double> before = new EnumMap<>(Operation.class);
    private final Map<Operation, Double> after = new EnumMap<>(Operation.class);
    private final Map<Operation, Map<Long, Fault>> scripts = new EnumMap<>(Operation.class);
    private double cutReads;
    private double duplicateCreates;
    private final Map<Operation, Duration> latency = new EnumMap<>(Operation.class);
    private Sleeper sleeper = Sleeper.system();
    private Duration listingLag;
    private Clock clock = Clock.systemUTC();
    private java.util.function.BooleanSupplier outage = () -> false;

    private Builder(Storage delegate) {
      this.delegate = delegate;
    }

    /** Seed of the random faults (print it in the test so a failure can be replayed). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Fails a share {@code p} of the calls of {@code ops} (all operations when none given) before they run. */
    public Builder failBefore(double p, Operation... ops) {
      for (Operation op : ops.length == 0 ? Operation.values() : ops) {
        before.put(op, p);
      }
      return this;
    }

    /**
     * Fails a share {@code p} of the calls of {@code ops} after they ran. With no operations given:
     * every operation except {@link Operation#WATCH} (a watch that started but reported failure
     * would leak).
     */
    public Builder failAfter(double p, Operation... ops) {
      if (ops.length == 0) {
        for (Operation op : Operation.values()) {
          if (op != Operation.WATCH) {
            after.put(op, p);
          }
        }
      }
      for (Operation op : ops) {
        after.put(op, p);
      }
      return this;
    }

    /** Scripts a fault for the {@code nth} call (1-based) of {@code op}; it replaces random faults for that call. */
    public Builder script(Operation op, long nth, Fault fault) {
      if (nth < 1) {
        throw new IllegalArgumentException("calls are counted from 1");
      }
      scripts.computeIfAbsent(op, k -> new HashMap<>()).put(nth, fault);
      return this;
    }

    /** Cuts a share {@code p} of downloads part-way through. */
    public Builder cutReads(double p) {
      this.cutReads = p;
      return this;
    }

    /** Applies a share {@code p} of {@code CREATE} writes twice (content buffered: small files only). */
    public Builder duplicateCreates(double p) {
      this.duplicateCreates = p;
      return this;
    }

    /** Delays every call of {@code ops} (all when none given) by {@code d}, through the sleeper. */
    public Builder latency(Duration d, Operation... ops) {
      for (Operation op : ops.length == 0 ? Operation.values() : ops) {
        latency.put(op, d);
      }
      return this;
    }

    /** How latency is waited for (default: really sleeping). */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    /**
     * New items (modified within {@code lag} and first seen by this decorator within {@code lag})
     * are left out of listings and queries until {@code lag} has passed on {@code clock}; reads and
     * {@code stat} by id still work, as on Drive.
     */
    public Builder listingLag(Duration lag, Clock clock) {
      this.listingLag = lag;
      this.clock = clock;
      return this;
    }

    /**
     * While {@code down} answers true, every call fails before it runs (a store that went away);
     * calls work again once it answers false. Checked on every call, so a test flips it mid-run.
     */
    public Builder outage(java.util.function.BooleanSupplier down) {
      this.outage = java.util.Objects.requireNonNull(down, "down");
      return this;
    }

    public FaultyStorage build() {
      return new FaultyStorage(this);
    }
  }

  /** For tests of scripts: the number of calls of {@code op} seen so far. */
  public long calls(Operation op) {
    return calls.get(op).get();
  }

}
