package dev.syft.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The whole DO/DS flow on a temporary local transport. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the whole data-owner / data-scientist flow on a temporary local transport.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.println("syft-java " + VersionProvider.version());
    out.println("demo not yet available: the end-to-end demo arrives with the sync, dataset and job engines.");
    out.println("Try 'syft --help' for the commands that work today.");
    return Main.EXIT_OK;
  }
}
