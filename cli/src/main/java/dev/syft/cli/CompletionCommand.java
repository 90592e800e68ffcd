package dev.syft.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
    description = "Print a shell completion script for bash or zsh.",
    footer = {"", "Examples:", "  source <(syft completion bash)",
        "  syft completion zsh > ~/.zfunc/_syft   (zsh: the script enables bashcompinit itself)"})
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new UsageException("unsupported shell '" + shell + "' (use bash or zsh)");
    }
    CommandLine root = spec.root().commandLine();
    String script = AutoComplete.bash("syft", root);
    if (shell.equals("zsh")) {
      script = "autoload -U +X bashcompinit && bashcompinit\n" + script;
    }
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return Main.EXIT_OK;
  }
}
