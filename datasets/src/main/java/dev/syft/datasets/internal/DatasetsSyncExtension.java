package dev.syft.datasets.internal;

import dev.syft.core.ClientContext;
import dev.syft.core.SyncExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The datasets module's part of every sync round (registered for {@link java.util.ServiceLoader}).
 * Data-scientist side: replicate the collections approved peers share with this client. Data-owner
 * side: retry pending collection deletions, restore own datasets once per process, share "any"
 * datasets with newly approved peers. The two sides fail independently.
 */
public final class DatasetsSyncExtension implements SyncExtension {
  private boolean bootstrapped;

  @Override
  public String name() {
    return "datasets";
  }

  @Override
  public void onRound(ClientContext ctx) throws IOException {
    List<String> problems = new ArrayList<>();
    try {
      new Replicator(ctx).runIfDue();
    } catch (IOException | RuntimeException e) {
      problems.add(OwnerOps.describe(e));
    }
    OwnerSync owner = new OwnerSync(ctx);
    try {
      owner.retryDeletes();
      if (!bootstrapped) {
        owner.bootstrap();
        bootstrapped = true;
      }
      owner.reconcileAny();
    } catch (IOException | RuntimeException e) {
      problems.add(OwnerOps.describe(e));
    }
    if (!problems.isEmpty()) {
      throw new IOException(String.join("; ", problems));
    }
  }

  @Override
  public void onPeerApproved(ClientContext ctx, String peer) throws IOException {
    new OwnerSync(ctx).peerApproved(peer);
  }
}
