package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code syft perms} against a datasite folder given with --root. */
class PermsCommandTest {
  @TempDir Path tmp;
  Path root;
  StringWriter out;
  StringWriter err;

  @BeforeEach
  void setUp() throws Exception {
    root = tmp.resolve("owner@example.com");
    Files.createDirectories(root.resolve("reports"));
    Files.writeString(root.resolve("reports/q1.csv"), "1,2");
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void checkDeniesThenGrantAllowsThenRevokeDeniesAgain() {
    String[] check = {"perms", "check", "--root", root.toString(), "--user", "bob@example.com", "--path", "reports/q1.csv",
        "--level", "read"};
    assertThat(run(check)).isEqualTo(1);
    assertThat(out.toString().trim()).isEqualTo("deny");
    assertThat(run("perms", "grant", "--root", root.toString(), "--user", "bob@example.com", "--path", "reports/",
        "--level", "read")).isZero();
    assertThat(out.toString()).contains("reports/syft.pub.yaml");
    assertThat(root.resolve("reports/syft.pub.yaml")).exists();
    assertThat(run(check)).isZero();
    assertThat(out.toString().trim()).isEqualTo("allow");
    // write was never granted
    assertThat(run("perms", "check", "--root", root.toString(), "--user", "bob@example.com", "--path", "reports/q1.csv",
        "--level", "write")).isEqualTo(1);
    assertThat(run("perms", "revoke", "--root", root.toString(), "--user", "bob@example.com", "--path", "reports/",
        "--level", "read")).isZero();
    assertThat(run(check)).isEqualTo(1);
  }

  @Test
  void explainNamesTheFileAndRuleThatDecide() throws Exception {
    Files.writeString(root.resolve("reports/syft.pub.yaml"),
        "rules:\n- pattern: '*.csv'\n  access:\n    read: ['bob@example.com']\n");
    assertThat(run("perms", "explain", "--root", root.toString(), "--user", "bob@example.com", "--path",
        "reports/q1.csv")).isZero();
    assertThat(out.toString()).contains("ALLOW").contains("reports/syft.pub.yaml").contains("*.csv");
    assertThat(run("perms", "explain", "--json", "--root", root.toString(), "--user", "eve@example.com", "--path",
        "reports/q1.csv")).isZero();
    assertThat(out.toString()).contains("\"decision\" : \"deny\"").contains("\"reason\" : \"rule\"");
  }

  @Test
  void theOwnerIsAlwaysAllowedAndBadInputIsRefusedInOneLine() {
    assertThat(run("perms", "check", "--root", root.toString(), "--user", "owner@example.com", "--path", "anything",
        "--level", "admin")).isZero();
    // check only matches the path (the reference does not resolve '..'); it never opens it
    assertThat(run("perms", "check", "--root", root.toString(), "--user", "bob@example.com", "--path", "../etc/passwd",
        "--level", "read")).isEqualTo(1);
    assertThat(out.toString().strip()).isEqualTo("deny");
    // editing does resolve paths, so there '..' is refused in one line
    assertThat(run("perms", "grant", "--root", root.toString(), "--user", "bob@example.com", "--path", "../etc/passwd",
        "--level", "read")).isEqualTo(1);
    assertThat(err.toString()).contains("'..'").doesNotContain("Exception");
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(run("perms", "check", "--root", root.toString(), "--user", "bob@example.com", "--path", "x",
        "--level", "superuser")).isEqualTo(2);
    assertThat(run("perms", "check", "--user", "bob@example.com", "--path", "x", "--level", "read")).isEqualTo(2);
  }

  @Test
  void aBrokenPermissionFileDeniesAndIsExplained() throws Exception {
    Files.writeString(root.resolve("reports/syft.pub.yaml"), "rules: [unclosed\n");
    assertThat(run("perms", "check", "--root", root.toString(), "--user", "bob@example.com", "--path", "reports/q1.csv",
        "--level", "read")).isEqualTo(1);
    assertThat(run("perms", "explain", "--root", root.toString(), "--user", "bob@example.com", "--path",
        "reports/q1.csv")).isZero();
    assertThat(out.toString()).contains("reports/syft.pub.yaml");
  }
}
