package dev.syft.cli;

import static dev.syft.cli.CliEndToEndIT.DO;
import static dev.syft.cli.CliEndToEndIT.DS;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.syft.cli.CliEndToEndIT.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code syft init --transport imap+smtp://...} against an in-process GreenMail: a wrong password is a
 * one-line refusal that never shows the password; a home made with the right one works and mails its
 * peer request. (Pairing and a proposal over mail run in-process in transport-mail's MailTwoHomesTest: each
 * CLI call here costs a JVM start and a mailbox login.)
 */
class MailTransportIT {
  @TempDir Path tmp;

  private Run ok(String... args) throws Exception {
    Run r = CliEndToEndIT.syft(tmp, args);
    assertThat(r.exit()).as("syft %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  private String uri(GreenMail mail, String email, Path passwordFile) {
    return "imap+smtp://" + email.replace("@", "%40") + "@127.0.0.1:" + mail.getImap().getPort()
        + "?security=none&smtp_port=" + mail.getSmtp().getPort() + "&password_file=" + passwordFile;
  }

  @Test
  void initOverAMailboxChecksTheLoginAndTheHomeMailsItsRequest() throws Exception {
    GreenMail mail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
    mail.start();
    try {
      mail.setUser(DO, DO, "do-secret-1");
      mail.setUser(DS, DS, "ds-secret-2");
      Path dsPw = tmp.resolve("ds.pw");
      Files.writeString(dsPw, "wrong-secret-3\n");
      String dsHome = tmp.resolve("ds").toString();

      Run refused = CliEndToEndIT.syft(tmp, "init", "--email", DS, "--transport", uri(mail, DS, dsPw), "--home", dsHome);
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err()).contains("refused the login").doesNotContain("wrong-secret-3");
      assertThat(refused.err().strip().lines()).hasSize(1);
      Files.writeString(dsPw, "ds-secret-2\n");

      ok("init", "--email", DS, "--transport", uri(mail, DS, dsPw), "--home", dsHome);
      ok("peers", "add", DO, "--home", dsHome);
      ok("sync", "--home", dsHome);
      // the request reached the owner's mailbox as Syft mail (the pair's whole flow: MailTwoHomesTest)
      assertThat(mail.getReceivedMessagesForDomain("hospital.example")).isNotEmpty();
    } finally {
      mail.stop();
    }
  }
}
