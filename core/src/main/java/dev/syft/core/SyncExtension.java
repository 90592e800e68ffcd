package dev.syft.core;

import java.io.IOException;

/**
 * Work that takes part in every sync round: datasets replicate their collections, jobs validate new
 * submissions, and so on. Extensions are found with {@link java.util.ServiceLoader}; each round calls
 * {@link #onRound} after the engine's own steps, under the home lock. A failing extension is reported
 * in the round's {@link SyncReport#partErrors()} under its {@link #name()} and does not stop the round
 * or other extensions.
 *
 * <p>Implementations must be idempotent (a crash may repeat a round) and keep their durable state in
 * files of the home or in {@link ClientContext#state(String)}.
 */
public interface SyncExtension {
  /** A short stable name, e.g. {@code datasets}. */
  String name();

  /** Runs once per sync round; {@code ctx.acceptedPeers()} are the peers synced in this round. */
  void onRound(ClientContext ctx) throws IOException;

  /** Called once when this client approves {@code peer} (the reference's post-approval step). */
  default void onPeerApproved(ClientContext ctx, String peer) throws IOException {}
}
