package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Drive sign-in command refuses unusable inputs with one clear line (the flows need Google). */
class AuthCommandTest {
  @TempDir Path tmp;

  @Test
  void aClientFileWithoutSecretsIsRefusedWithTheFix() throws Exception {
    Path cred = tmp.resolve("credentials.json");
    Files.writeString(cred, "{}");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"auth", "gdrive", "--email", "a@b.example", "--credentials", cred.toString(),
        "--token", tmp.resolve("t.json").toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("client_id").contains("Desktop app").doesNotContain("Exception");
    assertThat(tmp.resolve("t.json")).doesNotExist();
  }

  @Test
  void missingOptionsAreUsageErrors() {
    int code = Main.run(new String[] {"auth", "gdrive", "--email", "a@b.example"}, new PrintWriter(new StringWriter(), true),
        new PrintWriter(new StringWriter(), true));
    assertThat(code).isEqualTo(2);
  }
}
