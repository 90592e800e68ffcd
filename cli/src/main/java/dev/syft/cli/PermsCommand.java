package dev.syft.cli;

import picocli.CommandLine.Command;

/** Placeholder: filled in by the perms work. */
@Command(name = "perms", mixinStandardHelpOptions = true, description = "(not yet available)")
final class PermsCommand implements Runnable {
  @Override
  public void run() {
    throw new UsageException("'syft perms' is not available yet");
  }
}
