package dev.syft.transport.conformance;

import dev.syft.transport.Storage;
import dev.syft.transport.decorator.FaultyStorage;
import dev.syft.transport.decorator.Operation;
import dev.syft.transport.decorator.RetryPolicy;
import dev.syft.transport.decorator.RetryingStorage;
import dev.syft.transport.decorator.Sleeper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Fixture wrappers, e.g. to run the whole suite through fault injection and retries. */
public final class StorageFixtures {
  private StorageFixtures() {}

  /**
   * Wraps every storage of {@code base} as {@code Retrying(Faulty(storage))}: seeded transient
   * failures before calls, failures after idempotent calls (and after creates when the store has
   * conditional create, which the retry resolves), and cut downloads. Retries never sleep. The
   * large-file test shrinks to {@code largeFileBytes}.
   */
  public static StorageFixture faulty(StorageFixture base, long seed, long largeFileBytes) {
    List<FaultyStorage> made = new ArrayList<>();
    return new StorageFixture() {
      @Override
      public Storage storage(String email) throws IOException {
        Storage s = base.storage(email);
        List<Operation> after = new ArrayList<>();
        for (Operation op : Operation.values()) {
          if (op != Operation.WATCH && (op != Operation.WRITE || s.capabilities().conditionalCreate())) {
            after.add(op);
          }
        }
        FaultyStorage f = FaultyStorage.builder(s)
            .seed(seed + made.size())
            .failBefore(0.15)
            .failAfter(0.1, after.toArray(Operation[]::new))
            .cutReads(0.2)
            .build();
        synchronized (made) {
          made.add(f);
        }
        return new RetryingStorage(f, RetryPolicy.defaults().withMaxAttempts(12).withSleeper(Sleeper.none()));
      }

      @Override
      public int manyEntries() {
        return base.manyEntries();
      }

      @Override
      public long largeFileBytes() {
        return largeFileBytes;
      }

      @Override
      public boolean caseSensitiveNames() {
        return base.caseSensitiveNames();
      }

      @Override
      public void close() throws IOException {
        base.close();
      }

      @Override
      public String toString() {
        return "faulty(" + base + ", seed " + seed + ")";
      }
    };
  }
}
