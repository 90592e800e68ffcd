package dev.syft.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PERMISSIONS.md 10.3: the syft-perms behaviours, through {@link Datasite}. */
class SyftPermsBehaviourTest {
  private static final String OWNER = "alice@example.com";
  private static final String BOB = "bob@example.com";
  private static final String CHARLIE = "charlie@example.com";

  @TempDir Path tmp;
  Path root;
  Datasite ds;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve(OWNER));
    ds = Datasite.open(root);
  }

  private void write(String folder, String yaml) throws IOException {
    Path dir = folder.isEmpty() ? root : Files.createDirectories(root.resolve(folder));
    Files.writeString(dir.resolve("syft.pub.yaml"), yaml);
    ds.invalidate(); // also picks up deleted files
  }

  private String read(String file) throws IOException {
    return Files.readString(root.resolve(file));
  }

  @Test
  void init() throws IOException {
    assertThat(ds.owner()).isEqualTo(OWNER);
    Files.writeString(root.resolve("syft.pub.yaml"), "{rules: [{pattern: '**', access: {read: ['*']}}]}\n");
    assertThat(Datasite.open(root).check("x.txt", BOB, Level.READ)).isTrue();
  }

  @Test
  void openDistinguishesFilesAndFolders() throws IOException {
    Files.createDirectories(root.resolve("existing"));
    assertThat(ds.grant("data.csv", BOB, Level.READ).pattern()).isEqualTo("data.csv");
    // the root file created by the first grant now governs everything below it
    assertThat(ds.grant("my_project/", BOB, Level.READ).pattern()).isEqualTo("my_project/**");
    assertThat(ds.grant("existing", BOB, Level.READ).pattern()).isEqualTo("existing/**");
    assertThat(ds.grant("missing/thing", BOB, Level.READ).pattern()).isEqualTo("missing/thing");
    assertThat(ds.grant("existing", BOB, Level.READ).files()).isEmpty(); // already there
  }

  @Test
  void grantLevels() {
    ds.grant("r.txt", BOB, Level.READ);
    assertThat(ds.check("r.txt", BOB, Level.READ)).isTrue();
    assertThat(ds.check("r.txt", BOB, Level.WRITE)).isFalse();
    ds.grant("w.txt", BOB, Level.WRITE);
    assertThat(ds.check("w.txt", BOB, Level.WRITE)).isTrue();
    assertThat(ds.check("w.txt", BOB, Level.READ)).isTrue();
    assertThat(ds.check("w.txt", BOB, Level.ADMIN)).isFalse();
    ds.grant("a.txt", BOB, Level.ADMIN);
    assertThat(ds.check("a.txt", BOB, Level.ADMIN)).isTrue();
    assertThat(ds.check("a.txt", BOB, Level.WRITE)).isTrue();
    assertThat(ds.check("a.txt", BOB, Level.READ)).isTrue();
  }

  @Test
  void firstGrantOnARootFileCreatesTheRootFile() throws IOException {
    ChangeResult r = ds.grant("data.csv", BOB, Level.READ);
    assertThat(r.files()).containsExactly("syft.pub.yaml");
    assertThat(r.changed()).isTrue();
    assertThat(read("syft.pub.yaml")).contains("pattern: data.csv");
  }

  @Test
  void twoUsersAndIdempotentGrants() throws IOException {
    ds.grant("data.csv", BOB, Level.READ);
    ds.grant("data.csv", CHARLIE, Level.READ);
    ChangeResult again = ds.grant("data.csv", "Bob@Example.com", Level.READ);
    assertThat(again.changed()).isFalse();
    assertThat(ds.check("data.csv", BOB, Level.READ)).isTrue();
    assertThat(ds.check("data.csv", CHARLIE, Level.READ)).isTrue();
    assertThat(read("syft.pub.yaml")).containsOnlyOnce(BOB);
  }

  @Test
  void revoke() {
    ds.grant("r.txt", BOB, Level.READ);
    ds.revoke("r.txt", BOB, Level.READ);
    assertThat(ds.check("r.txt", BOB, Level.READ)).isFalse();
    ds.grant("w.txt", BOB, Level.WRITE);
    ds.revoke("w.txt", BOB, Level.WRITE);
    assertThat(ds.check("w.txt", BOB, Level.WRITE)).isFalse();
    ds.grant("c.txt", CHARLIE, Level.READ);
    ChangeResult noop = ds.revoke("c.txt", BOB, Level.READ);
    assertThat(noop.changed()).isFalse();
    assertThat(noop.warnings()).anySatisfy(w -> assertThat(w).contains("nothing to revoke"));
    assertThat(ds.check("c.txt", CHARLIE, Level.READ)).isTrue();
  }

  @Test
  void check() throws IOException {
    for (Level l : Level.values()) {
      assertThat(ds.check("f.txt", OWNER, l)).isTrue();
      assertThat(ds.check("f.txt", BOB, l)).isFalse();
    }
    write("", "{rules: [{pattern: '**', access: {read: ['*']}}]}\n");
    assertThat(ds.check("f.txt", BOB, Level.READ)).isTrue();
    assertThat(ds.check("f.txt", BOB, Level.WRITE)).isFalse();
  }

  @Test
  void explain() {
    Explanation owner = ds.explain("data.csv", OWNER, Level.READ);
    assertThat(owner.reason()).isEqualTo(Reason.OWNER);
    assertThat(owner.read() && owner.write() && owner.admin()).isTrue();
    assertThat(owner.toText()).contains("owner");

    Explanation none = ds.explain("data.csv", BOB, Level.READ);
    assertThat(none.reason()).isEqualTo(Reason.NO_ACL_FILE);
    assertThat(none.read() || none.write() || none.admin()).isFalse();
    assertThat(none.toText()).contains("no permission file");

    ds.grant("data.csv", BOB, Level.READ);
    Explanation e = ds.explain("data.csv", BOB, Level.READ);
    assertThat(e.read()).isTrue();
    assertThat(e.write()).isFalse();
    assertThat(e.decision().governingFile()).isEqualTo("syft.pub.yaml");
    assertThat(e.decision().pattern()).isEqualTo("data.csv");
    assertThat(e.decision().grantedBy()).isEqualTo("'" + BOB + "' in read");
    assertThat(e.toText()).contains("data.csv").contains(BOB);
  }

  @Test
  void folders() {
    ds.grant("project/", BOB, Level.READ);
    assertThat(ds.check("project/a/b.txt", BOB, Level.READ)).isTrue();
    assertThat(ds.explain("project/", BOB, Level.READ).read()).isTrue();
    ds.revoke("project/", BOB, Level.READ);
    assertThat(ds.check("project/a/b.txt", BOB, Level.READ)).isFalse();
    ds.grant("work/", BOB, Level.WRITE);
    assertThat(ds.check("work/x", BOB, Level.WRITE)).isTrue();
    assertThat(ds.check("work/x", BOB, Level.READ)).isTrue();
    assertThat(ds.check("work/x", BOB, Level.ADMIN)).isFalse();
  }

  @Test
  void nesting() throws IOException {
    write("", "{rules: [{pattern: '**', access: {read: ['*']}}]}\n");
    write("sub", "{rules: [{pattern: '**', access: {write: [" + BOB + "]}}]}\n");
    assertThat(ds.check("root.txt", CHARLIE, Level.READ)).isTrue();
    assertThat(ds.check("sub/x.txt", BOB, Level.WRITE)).isTrue();
    assertThat(ds.check("sub/x.txt", CHARLIE, Level.READ)).isFalse();
  }

  @Test
  void governingResolution() throws IOException {
    write("", "{rules: [{pattern: '**', access: {}}], terminal: true}\n");
    ds.grant("sub/data.csv", BOB, Level.READ);
    assertThat(Files.exists(root.resolve("sub/syft.pub.yaml"))).isFalse();
    assertThat(read("syft.pub.yaml")).contains("pattern: sub/data.csv");
    assertThat(ds.check("sub/data.csv", BOB, Level.READ)).isTrue();

    Files.delete(root.resolve("syft.pub.yaml"));
    write("a/b", "{rules: [], terminal: true}\n");
    ds.grant("a/b/c/", BOB, Level.READ);
    assertThat(read("a/b/syft.pub.yaml")).contains("pattern: c/**");
    assertThat(ds.check("a/b/c/inner.txt", BOB, Level.READ)).isTrue();

    write("d", "{rules: [{pattern: data.csv, access: {read: [" + BOB + "]}}]}\n");
    ds.grant("d/data.csv", BOB, Level.WRITE);
    AclFile f = ds.tree().file("d").orElseThrow();
    assertThat(f.rules()).hasSize(1);
    assertThat(f.rules().get(0).access().write()).containsExactly(BOB);
    assertThat(f.rules().get(0).access().read()).containsExactly(BOB);
  }

  @Test
  void revokeResolution() throws IOException {
    write("", "{rules: [{pattern: sub/data.csv, access: {read: [" + BOB + "]}}], terminal: true}\n");
    assertThat(ds.check("sub/data.csv", BOB, Level.READ)).isTrue();
    ds.revoke("sub/data.csv", BOB, Level.READ);
    assertThat(ds.check("sub/data.csv", BOB, Level.READ)).isFalse();

    Files.delete(root.resolve("syft.pub.yaml"));
    write("a/b", "{rules: [{pattern: c/**, access: {read: [" + BOB + "]}}], terminal: true}\n");
    assertThat(ds.check("a/b/c/x.txt", BOB, Level.READ)).isTrue();
    ds.revoke("a/b/c/", BOB, Level.READ);
    assertThat(ds.check("a/b/c/x.txt", BOB, Level.READ)).isFalse();
  }

  @Test
  void wildcardRevoke() throws IOException {
    write("", "{rules: [{pattern: '**', access: {read: ['*']}}]}\n");
    ChangeResult r = ds.revoke("data.csv", BOB, Level.READ);
    assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("'*'").contains("may affect other users"));
    assertThat(ds.check("data.csv", BOB, Level.READ)).isFalse();
    // syft-java keeps the broad rule: only data.csv got its own (empty) rule
    assertThat(ds.check("other.csv", BOB, Level.READ)).isTrue();

    write("", "{rules: [{pattern: '**', access: {read: ['*@example.com']}}]}\n");
    ChangeResult d = ds.revoke("data.csv", BOB, Level.READ);
    assertThat(d.warnings()).anySatisfy(w -> assertThat(w).contains("'*@example.com'").contains("may affect other users"));
    assertThat(ds.check("data.csv", BOB, Level.READ)).isFalse();

    write("", "{rules: [{pattern: '{{.UserEmail}}/**', access: {read: [USER]}}]}\n");
    assertThat(ds.check(BOB + "/data.csv", BOB, Level.READ)).isTrue();
    ChangeResult t = ds.revoke(BOB + "/data.csv", BOB, Level.READ);
    assertThat(t.warnings()).anySatisfy(w -> assertThat(w).contains("'USER'").contains("may affect other users"));
    assertThat(ds.check(BOB + "/data.csv", BOB, Level.READ)).isFalse();
  }

  @Test
  void adminNeededOnPermissionFiles() throws IOException {
    write("project", "{rules: [{pattern: '**', access: {read: [" + BOB + "], write: [" + BOB + "], admin: [" + CHARLIE + "]}}]}\n");
    assertThat(ds.check("project/syft.pub.yaml", BOB, Level.WRITE)).isFalse();
    assertThat(ds.check("project/syft.pub.yaml", BOB, Level.READ)).isFalse();
    assertThat(ds.check("project/syft.pub.yaml", CHARLIE, Level.WRITE)).isTrue();
    Explanation e = ds.explain("project/syft.pub.yaml", BOB, Level.READ);
    assertThat(e.decision().aclFileRequiresAdmin()).isTrue();
    assertThat(e.notes()).anySatisfy(n -> assertThat(n).contains("needs admin"));
  }

  @Test
  void readableFiles() throws IOException {
    Files.createDirectories(root.resolve("docs/sub"));
    Files.writeString(root.resolve("docs/a.txt"), "a");
    Files.writeString(root.resolve("docs/b.txt"), "b");
    Files.writeString(root.resolve("docs/sub/c.txt"), "c");
    ds.grant("docs/a.txt", BOB, Level.READ);
    ds.grant("docs/sub/", BOB, Level.READ);
    assertThat(ds.readableFiles("docs", BOB)).containsExactly("docs/a.txt", "docs/sub/c.txt");
    assertThat(ds.readableFiles("docs", OWNER)).contains("docs/b.txt", "docs/syft.pub.yaml");
  }
}
