package dev.syft.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "whoami", mixinStandardHelpOptions = true, description = "Print this client's identity and transport.",
    footer = {"", "Example:", "  syft whoami --home ~/alice --json"})
final class WhoamiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOption home;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    var h = home.open();
    var out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("email", h.email());
      m.put("transport", h.config().transport());
      m.put("home", h.dir().toString());
      m.put("datasite", h.datasite().toString());
      out.println(Json.write(m));
    } else {
      out.println(h.email());
      out.println("transport: " + h.config().transport());
      out.println("home:      " + h.dir());
    }
    return Main.EXIT_OK;
  }
}
