package dev.syft.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** syft-java's safer authoring: inherited access is carried, refused when it cannot be, revokes are scoped. */
class GrantRevokeTest {
  private static final String OWNER = "do@example.com";
  private static final String ALICE = "alice@example.com";
  private static final String BOB = "bob@example.com";
  private static final String CAROL = "carol@example.com";

  @TempDir Path tmp;
  Path root;
  Datasite ds;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve(OWNER));
    ds = Datasite.builder(root).statInterval(null).build();
  }

  private void write(String folder, String yaml) throws IOException {
    Path dir = folder.isEmpty() ? root : Files.createDirectories(root.resolve(folder));
    Files.writeString(dir.resolve("syft.pub.yaml"), yaml);
    ds.invalidate();
  }

  @Test
  void fileGrantCarriesTheFolderRule() throws IOException {
    ds.grant("public/", "*", Level.READ);
    ChangeResult r = ds.grant("public/report.pdf", BOB, Level.WRITE);
    assertThat(r.carried()).containsExactly("*");
    assertThat(ds.check("public/report.pdf", CAROL, Level.READ)).isTrue(); // not lost
    assertThat(ds.check("public/report.pdf", BOB, Level.WRITE)).isTrue();
    assertThat(Files.readString(root.resolve("public/syft.pub.yaml"))).isEqualTo("""
        rules:
        - access:
            admin: []
            read:
            - '*'
            write: []
          pattern: '**'
        - access:
            admin: []
            read:
            - '*'
            write:
            - bob@example.com
          pattern: report.pdf
        terminal: false
        """);
  }

  @Test
  void referenceModeDropsInheritedAccessWithAWarning() {
    ds.grant("public/", "*", Level.READ);
    ChangeResult r = ds.grant("public/report.pdf", BOB, Level.WRITE, GrantMode.REFERENCE);
    assertThat(r.carried()).isEmpty();
    assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("*").contains("lose the access"));
    assertThat(ds.check("public/report.pdf", CAROL, Level.READ)).isFalse();
  }

  @Test
  void folderGrantCarriesACoveringRule() throws IOException {
    write("", "{rules: [{pattern: '**', access: {read: [" + ALICE + "]}}]}\n");
    ChangeResult r = ds.grant("sub/", BOB, Level.READ);
    assertThat(r.pattern()).isEqualTo("sub/**");
    assertThat(r.carried()).containsExactly(ALICE);
    assertThat(ds.check("sub/x/y.txt", ALICE, Level.READ)).isTrue();
    assertThat(ds.check("sub/x/y.txt", BOB, Level.READ)).isTrue();
    assertThat(ds.check("other.txt", BOB, Level.READ)).isFalse();
  }

  @Test
  void folderGrantIsRefusedWhenCarryingCannotBeExact() throws IOException {
    String before = "{rules: [{pattern: '**/*.csv', access: {read: [" + ALICE + "]}}, {pattern: '**', access: {read: [" + CAROL + "]}}]}\n";
    write("", before);
    assertThatThrownBy(() -> ds.grant("sub/", BOB, Level.READ))
        .isInstanceOf(PermissionRefusedException.class)
        .hasMessageContaining("'**/*.csv'").hasMessageContaining("'**'").hasMessageContaining("reference mode")
        .satisfies(e -> assertThat(((PermissionRefusedException) e).code()).isEqualTo("permission-refused"));
    assertThat(Files.readString(root.resolve("syft.pub.yaml"))).isEqualTo(before); // nothing written

    // a rule that covers only part of the folder cannot be carried either (alice would gain x.txt)
    write("", "{rules: [{pattern: '**/*.csv', access: {read: [" + ALICE + "]}}]}\n");
    assertThatThrownBy(() -> ds.grant("sub/", BOB, Level.READ)).isInstanceOf(PermissionRefusedException.class);

    ChangeResult forced = ds.grant("sub/", BOB, Level.READ, GrantMode.REFERENCE);
    assertThat(forced.warnings()).anySatisfy(w -> assertThat(w).contains(ALICE).contains("lose"));
    assertThat(ds.check("sub/a.txt", BOB, Level.READ)).isTrue();
  }

  @Test
  void folderGrantWarnsAboutRulesAndFilesThatStillDecide() throws IOException {
    write("", "{rules: [{pattern: 'sub/*.csv', access: {read: [" + ALICE + "]}}, {pattern: '**', access: {read: [" + CAROL + "]}}]}\n");
    write("sub/inner", "{rules: [{pattern: '**', access: {}}]}\n");
    ChangeResult r = ds.grant("sub/", BOB, Level.READ);
    assertThat(r.carried()).containsExactly(CAROL);
    assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("'sub/*.csv'").contains("more specific"))
        .anySatisfy(w -> assertThat(w).contains("sub/inner/syft.pub.yaml governs"));
    assertThat(ds.check("sub/a.txt", BOB, Level.READ)).isTrue();
    assertThat(ds.check("sub/a.csv", BOB, Level.READ)).isFalse();
    assertThat(ds.check("sub/a.csv", ALICE, Level.READ)).isTrue();
    assertThat(ds.check("sub/a.txt", CAROL, Level.READ)).isTrue();
  }

  @Test
  void revokeOnAFileKeepsAccessElsewhere() throws IOException {
    write("", "{rules: [{pattern: '**', access: {read: [" + BOB + ", " + CAROL + "]}}]}\n");
    ChangeResult r = ds.revoke("x.txt", BOB, Level.READ);
    assertThat(r.pattern()).isEqualTo("x.txt");
    assertThat(r.carried()).containsExactly(CAROL);
    assertThat(r.warnings()).isEmpty();
    assertThat(ds.check("x.txt", BOB, Level.READ)).isFalse();
    assertThat(ds.check("y.txt", BOB, Level.READ)).isTrue();
    assertThat(ds.check("x.txt", CAROL, Level.READ)).isTrue();
  }

  @Test
  void revokingReadRevokesWriteAndAdmin() throws IOException {
    write("", "{rules: [{pattern: '**', access: {admin: [" + BOB + "]}}]}\n");
    ds.revoke("f.txt", BOB, Level.READ);
    for (Level l : Level.values()) {
      assertThat(ds.check("f.txt", BOB, l)).as(l.id()).isFalse();
    }
    write("", "{rules: [{pattern: '**', access: {write: [" + BOB + "], read: [" + BOB + "]}}]}\n");
    ds.revoke("g.txt", BOB, Level.WRITE);
    assertThat(ds.check("g.txt", BOB, Level.WRITE)).isFalse();
    assertThat(ds.check("g.txt", BOB, Level.READ)).isTrue();
  }

  @Test
  void folderRevokeReachesInnerFilesAndMoreSpecificRules() throws IOException {
    write("", "{rules: [{pattern: 'sub/*.csv', access: {read: [" + BOB + "]}}, {pattern: '**', access: {read: [" + BOB + ", " + CAROL + "]}}]}\n");
    write("sub/inner", "{rules: [{pattern: '**', access: {read: [" + BOB + "]}}]}\n");
    ChangeResult r = ds.revoke("sub/", BOB, Level.READ);
    assertThat(r.files()).containsExactly("syft.pub.yaml", "sub/inner/syft.pub.yaml");
    assertThat(ds.check("sub/a.csv", BOB, Level.READ)).isFalse();
    assertThat(ds.check("sub/a.txt", BOB, Level.READ)).isFalse();
    assertThat(ds.check("sub/inner/z", BOB, Level.READ)).isFalse();
    assertThat(ds.check("top.txt", BOB, Level.READ)).isTrue();
    assertThat(ds.check("sub/a.txt", CAROL, Level.READ)).isTrue();
    assertThat(r.warnings()).noneSatisfy(w -> assertThat(w).contains("still has"));
  }

  @Test
  void revokeEditsBroaderRulesInPlaceWhenSplittingIsNotExact() throws IOException {
    write("", "{rules: [{pattern: '**/*.csv', access: {read: [" + BOB + "]}}]}\n");
    ChangeResult r = ds.revoke("sub/", BOB, Level.READ);
    assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("also applies outside 'sub/'"));
    assertThat(ds.check("sub/a.csv", BOB, Level.READ)).isFalse();
  }

  @Test
  void revokingAPatternPrincipalRemovesOnlyThatEntry() throws IOException {
    write("", "{rules: [{pattern: '**', access: {read: ['*', " + BOB + "]}}]}\n");
    ChangeResult r = ds.revoke("", "*", Level.READ);
    assertThat(r.changed()).isTrue();
    assertThat(ds.check("x", CAROL, Level.READ)).isFalse();
    assertThat(ds.check("x", BOB, Level.READ)).isTrue();
  }

  @Test
  void rewritingAFileWithUnknownKeysSaysSo() throws IOException {
    write("", "owner: someone\nrules: [{pattern: '**', access: {read: [" + ALICE + "]}}]\n");
    ChangeResult r = ds.grant("x.txt", BOB, Level.READ);
    assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("unknown keys and comments"));
    assertThat(Files.readString(root.resolve("syft.pub.yaml"))).doesNotContain("owner");
  }

  @Test
  void ownerGrantsAndRevokesAreHarmless() {
    assertThat(ds.grant("x", OWNER, Level.READ).warnings()).anySatisfy(w -> assertThat(w).contains("owns this datasite"));
    assertThat(ds.revoke("x", OWNER, Level.READ).warnings()).anySatisfy(w -> assertThat(w).contains("owner always"));
    assertThat(ds.check("x", OWNER, Level.ADMIN)).isTrue();
  }

  @Test
  void metacharactersInPathsAreEscaped() throws IOException {
    ChangeResult r = ds.grant("data[1].csv", BOB, Level.READ);
    assertThat(r.pattern()).isEqualTo("data[[]1].csv");
    assertThat(ds.check("data[1].csv", BOB, Level.READ)).isTrue();
    assertThat(ds.check("data1.csv", BOB, Level.READ)).isFalse();
  }

  @Test
  void badInputIsRefusedClearly() {
    assertThatThrownBy(() -> ds.grant("../x", BOB, Level.READ)).hasMessageContaining("'..'");
    assertThatThrownBy(() -> ds.grant("/etc/passwd", BOB, Level.READ)).hasMessageContaining("absolute");
    assertThatThrownBy(() -> ds.grant("{{.UserEmail}}/x", BOB, Level.READ)).hasMessageContaining("template");
    assertThatThrownBy(() -> ds.grant("x", "bob", Level.READ)).isInstanceOf(InvalidPermissionRequestException.class)
        .hasMessageContaining("not an e-mail");
    assertThatThrownBy(() -> ds.grant("x", "user", Level.READ)).isInstanceOf(InvalidPermissionRequestException.class);
    assertThatThrownBy(() -> ds.check("x", "b ob@x.com", Level.READ)).hasMessageContaining("space");
    assertThatThrownBy(() -> ds.check("x", "*@x.com", Level.READ)).hasMessageContaining("wildcard");
    assertThatThrownBy(() -> Level.parse("execute")).isInstanceOf(InvalidPermissionRequestException.class)
        .hasMessageContaining("read, write or admin");
    assertThat(Level.parse(" Admin ")).isEqualTo(Level.ADMIN);
    assertThat(ds.grant("x", " Bob@Example.COM ", Level.READ).user()).isEqualTo(BOB);
    assertThat(ds.grant("x", "*@Example.com", Level.READ).user()).isEqualTo("*@example.com");
    assertThat(ds.grant("y", "USER", Level.READ).user()).isEqualTo("USER");
  }

  @Test
  void openRefusesNonEmailFoldersAndMissingFolders() throws IOException {
    Path plain = Files.createDirectories(tmp.resolve("not-an-email"));
    assertThatThrownBy(() -> Datasite.open(plain)).isInstanceOf(InvalidPermissionRequestException.class)
        .hasMessageContaining("owner must be an e-mail");
    Datasite mixed = Datasite.open(plain, "Me@X.org");
    // the owner is kept as given: exact decisions compare it exactly, normalised ones case-insensitively
    assertThat(mixed.owner()).isEqualTo("Me@X.org");
    assertThat(mixed.decide("x", "Me@X.org", Level.ADMIN).reason()).isEqualTo(Reason.OWNER);
    assertThat(mixed.decide("x", "me@x.org", Level.ADMIN).reason()).isEqualTo(Reason.NO_ACL_FILE);
    assertThat(mixed.check("x", "me@x.org", Level.ADMIN)).isTrue();
    assertThat(mixed.allows("x", "me@x.org", Level.ADMIN)).isTrue();
    assertThatThrownBy(() -> Datasite.open(tmp.resolve("missing@x.org"))).isInstanceOf(PermissionIoException.class)
        .hasMessageContaining("does not exist");
  }
}
