package dev.syft.cli;

import picocli.CommandLine.Command;

/** Placeholder: filled in by the wire work. */
@Command(name = "wire", mixinStandardHelpOptions = true, description = "(not yet available)")
final class WireCommand implements Runnable {
  @Override
  public void run() {
    throw new UsageException("'syft wire' is not available yet");
  }
}
