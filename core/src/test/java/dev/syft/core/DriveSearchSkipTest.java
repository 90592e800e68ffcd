package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.model.PeerState;
import dev.syft.transport.decorator.CallCounts;
import dev.syft.transport.decorator.Operation;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On Google Drive (the fake, the real client) a round reads the change feed first and searches for
 * newly shared folders only when the feed shows a change someone else made outside the folders the
 * client watches: an idle round is one request, a proposal round does not search, and a new contact
 * request (a folder newly shared with us) is still seen in the next round.
 */
class DriveSearchSkipTest {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";
  static final String DS2 = "second@lab.example";

  @TempDir Path tmp;

  @Test
  void idleAndProposalRoundsSkipTheSearchAndANewRequestIsStillSeen() {
    try (Net net = Net.create(Transport.DRIVE, tmp)) {
      Cluster c = net.cluster;
      c.connect(DS, DO);
      for (int i = 0; i < 3; i++) { // past the settle window of the folders reported so far
        c.client(DO).sync();
        c.clock.advance(Duration.ofSeconds(61));
      }
      c.client(DO).sync();
      c.clock.advance(Duration.ofSeconds(10));
      var counter = net.counting(DO);

      counter.reset();
      c.client(DO).sync();
      CallCounts idle = counter.reset();
      assertThat(idle.total()).as("idle round: %s", idle).isEqualTo(1);
      assertThat(idle.get(Operation.FEED_CHANGES)).isEqualTo(1);

      Cluster.write(c.replica(DS, DO), "app_data/job/inbox/" + DS + "/job-1/run.sh", "echo hi\n");
      c.client(DS).sync();
      c.clock.advance(Duration.ofSeconds(5));
      counter.reset();
      assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
      CallCounts proposal = counter.reset();
      assertThat(proposal.get(Operation.FIND_SHARED_WITH_ME)).as("proposal round: %s", proposal).isZero();

      c.client(DS2).peers().add(DO); // shares a new folder with the DO
      c.clock.advance(Duration.ofSeconds(5));
      c.client(DO).sync();
      assertThat(c.client(DO).peers().list()).anySatisfy(p -> {
        assertThat(p.email()).isEqualTo(DS2);
        assertThat(p.state()).isEqualTo(PeerState.REQUESTED_BY_PEER);
      });
    }
  }
}
