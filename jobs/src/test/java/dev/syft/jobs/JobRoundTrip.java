package dev.syft.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A job's round trip between two homes of a {@link Cluster}, for the transports' two-homes tests: the
 * DS submits, the DO receives, approves, deposits a result (no run) and releases it, the DS sees the
 * output. Shipped in this module's test-jar.
 */
public final class JobRoundTrip {
  private JobRoundTrip() {}

  /**
   * Runs the round trip and returns the requests of each step as one printable line.
   *
   * @param takeCount the requests a user made since the last call for that user (and resets them)
   */
  public static String run(Cluster c, String owner, String scientist, ToLongFunction<String> takeCount, Path tmp)
      throws Exception {
    takeCount.applyAsLong(owner);
    takeCount.applyAsLong(scientist);
    Jobs ds = Jobs.of(c.client(scientist));
    ds.submit(SubmitRequest.bash("echo 42 > outputs/answer.txt\n", owner).withName("answer"));
    long submit = takeCount.applyAsLong(scientist);
    c.clock.advance(Duration.ofSeconds(5));
    c.client(owner).sync();
    Jobs dO = Jobs.of(c.client(owner));
    List<JobInfo> received = dO.list();
    assertThat(received).hasSize(1);
    String id = received.get(0).id();
    dO.approve(id, "test");
    Path result = Files.createDirectories(tmp.resolve("result"));
    Files.writeString(result.resolve("answer.txt"), "42\n");
    dO.deposit(id, result);
    dO.share(id, EnumSet.of(Release.OUTPUTS));
    c.client(owner).sync();
    long atOwner = takeCount.applyAsLong(owner);
    c.clock.advance(Duration.ofSeconds(5));
    c.client(scientist).sync();
    String mine = ds.groups().get(0).members().get(0).id();
    assertThat(ds.outputs(mine)).isNotEmpty();
    long back = takeCount.applyAsLong(scientist);
    return "(submit=" + submit + ", DO sync+review+release+sync=" + atOwner + ", DS sync=" + back + ", total="
        + (submit + atOwner + back) + ")";
  }
}
