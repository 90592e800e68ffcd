package dev.syft.cli;

import dev.syft.transport.gdrive.GDriveAuth;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "auth", mixinStandardHelpOptions = true, description = "Sign in to a transport that needs it.",
    subcommands = {AuthCommand.Gdrive.class})
final class AuthCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "gdrive", mixinStandardHelpOptions = true,
      description = "Sign in to Google Drive and save the token file a gdrive: transport uses.",
      footer = {"", "Examples:",
          "  syft auth gdrive --email alice@gmail.com --credentials credentials.json --token ~/.syft/alice-token.json",
          "  syft auth gdrive ... --headless        (no browser on this machine: paste the code or the final URL)",
          "  syft init --email alice@gmail.com --transport 'gdrive:default?token=/home/alice/.syft/alice-token.json'",
          "", "credentials.json is an OAuth client of type 'Desktop app' from the Google Cloud console.",
          "A token file written by the Python syft-client works too."})
  static final class Gdrive implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--email", required = true, paramLabel = "E", description = "The Google account to sign in as.")
    String email;

    @Option(names = "--credentials", required = true, paramLabel = "FILE", description = "OAuth client secrets (JSON).")
    Path credentials;

    @Option(names = "--token", required = true, paramLabel = "FILE", description = "Where to save the token (mode 0600).")
    Path token;

    @Option(names = "--headless", description = "Do not start a browser here; paste the code instead.")
    boolean headless;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      var client = GDriveAuth.ClientSecrets.read(credentials);
      String account = dev.syft.core.Home.normalizeEmail(email);
      if (headless) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        GDriveAuth.loginHeadless(client, account, token, s -> {
          out.println(s);
          out.flush();
        }, () -> {
          try {
            String line = in.readLine();
            if (line == null) {
              throw new UsageException("no code was pasted");
            }
            return line;
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      } else {
        GDriveAuth.loginWithBrowser(client, account, token, s -> {
          out.println(s);
          out.flush();
        }, true);
      }
      out.println("use it with: --transport 'gdrive:default?token=" + token.toAbsolutePath() + "'");
      return Main.EXIT_OK;
    }
  }
}
