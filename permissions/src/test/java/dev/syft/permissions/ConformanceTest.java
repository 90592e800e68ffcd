package dev.syft.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.UnsafePathException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PERMISSIONS.md section 10: the syft-permissions reference tests (10.1), the additional observed
 * rows (10.2) and the SyftBox A-table with the syft-java decision (10.4), on the engine.
 */
class ConformanceTest {
  private static final String OWNER = "owner@test.com";
  private static final String U = "user@test.com";
  private static final Level R = Level.READ;
  private static final Level W = Level.WRITE;
  private static final Level A = Level.ADMIN;

  record Req(String path, Level level, String user, boolean allow) {
    @Override
    public String toString() {
      return user + " " + level + " " + path + " -> " + (allow ? "allow" : "deny");
    }
  }

  private static Req req(String path, Level level, String user, boolean allow) {
    return new Req(path, level, user, allow);
  }

  private static Map<String, String> files(String... folderThenYaml) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < folderThenYaml.length; i += 2) {
      m.put(folderThenYaml[i], folderThenYaml[i + 1]);
    }
    return m;
  }

  private static Arguments row(String name, Map<String, String> files, Req... reqs) {
    return Arguments.of(name, files, List.of(reqs));
  }

  private static final String STAR_READ = "{rules: [{pattern: '**', access: {read: ['*']}}]}";

  static Stream<Arguments> reference() {
    List<Arguments> rows = new ArrayList<>();
    // 10.1 syft-permissions reference tests
    rows.add(row("1 no_permission_file_denies", files(), req("file.txt", R, U, false)));
    rows.add(row("2 owner_still_can_access", files(), req("file.txt", A, OWNER, true)));
    rows.add(row("3 empty_rules_deny", files("", "rules: []"), req("file.txt", R, U, false)));
    rows.add(row("4 no_matching_rule_denies", files("", "{rules: [{pattern: reports/**, access: {read: ['*']}}]}"),
        req("data.csv", R, U, false)));
    rows.add(row("5 permission_file_requires_admin", files("", "{rules: [{pattern: '**', access: {write: [" + U + "]}}]}"),
        req("syft.pub.yaml", R, U, false)));
    rows.add(row("6 permission_file_admin_can_access", files("", "{rules: [{pattern: '**', access: {admin: [" + U + "]}}]}"),
        req("syft.pub.yaml", R, U, true)));
    rows.add(row("19 single_star_current_dir_only", files("", "{rules: [{pattern: '*', access: {read: ['*']}}]}"),
        req("file.txt", R, U, true), req("data.csv", R, U, true), req("sub/file.txt", R, U, false),
        req("a/b/c.txt", R, U, false)));
    rows.add(row("20 doublestar_matches_all", files("", STAR_READ), req("a/b/c.txt", R, U, true)));
    rows.add(row("21 star_csv_in_root", files("", "{rules: [{pattern: '*.csv', access: {read: ['*']}}]}"),
        req("data.csv", R, U, true), req("sub/data.csv", R, U, false)));
    rows.add(row("22 doublestar_csv_anywhere", files("", "{rules: [{pattern: '**/*.csv', access: {read: ['*']}}]}"),
        req("sub/data.csv", R, U, true), req("a/b/data.csv", R, U, true)));
    rows.add(row("23 reports_doublestar", files("", "{rules: [{pattern: reports/**, access: {read: ['*']}}]}"),
        req("reports/q1.csv", R, U, true), req("reports/2024/q1.csv", R, U, true), req("other/file.txt", R, U, false)));
    rows.add(row("24 exact_path_match", files("", "{rules: [{pattern: reports/q1.csv, access: {read: ['*']}}]}"),
        req("reports/q1.csv", R, U, true), req("reports/q2.csv", R, U, false)));
    rows.add(row("25 more_specific_rule_wins", files("", "{rules: [{pattern: '**', access: {read: ['*']}},"
        + " {pattern: reports/q1.csv, access: {write: [alice@test.com]}}]}"),
        req("reports/q1.csv", W, "alice@test.com", true), req("other.txt", W, "alice@test.com", false)));
    rows.add(row("26 no_catch_all_denies", files("", "{rules: [{pattern: reports/**, access: {read: ['*']}}]}"),
        req("data.csv", R, U, false)));
    rows.add(row("28 owner_always_has_access", files("", "rules: []"), req("any/file.txt", A, OWNER, true)));
    rows.add(row("29 star_grants_read_to_everyone", files("", STAR_READ),
        req("file.txt", R, "anyone@example.com", true), req("file.txt", W, "anyone@example.com", false)));
    rows.add(row("30 empty_access_lists_deny_all", files("", "{rules: [{pattern: '**', access: {admin: [], write: [], read: []}}]}"),
        req("file.txt", R, U, false)));
    rows.add(row("31 specific_email_grants", files("", "{rules: [{pattern: '**', access: {write: [alice@test.com]}}]}"),
        req("file.txt", W, "alice@test.com", true), req("file.txt", W, "bob@test.com", false)));
    rows.add(row("32 domain_wildcard", files("", "{rules: [{pattern: '**', access: {read: ['*@company.com']}}]}"),
        req("file.txt", R, "alice@company.com", true), req("file.txt", R, "alice@other.com", false)));
    rows.add(row("33 admin_implies_write_read", files("", "{rules: [{pattern: '**', access: {admin: [alice@test.com]}}]}"),
        req("f", A, "alice@test.com", true), req("f", W, "alice@test.com", true), req("f", R, "alice@test.com", true)));
    rows.add(row("34 write_implies_read_not_admin", files("", "{rules: [{pattern: '**', access: {write: [alice@test.com]}}]}"),
        req("f", R, "alice@test.com", true), req("f", W, "alice@test.com", true), req("f", A, "alice@test.com", false)));
    rows.add(row("35 read_only", files("", "{rules: [{pattern: '**', access: {read: [alice@test.com]}}]}"),
        req("f", R, "alice@test.com", true), req("f", W, "alice@test.com", false), req("f", A, "alice@test.com", false)));
    rows.add(row("36 terminal_blocks_child", files("", "{rules: [{pattern: '**', access: {read: ['*']}}], terminal: true}",
        "subdir", "{rules: [{pattern: '**', access: {write: ['*']}}]}"),
        req("subdir/file.txt", R, U, true), req("subdir/file.txt", W, U, false)));
    rows.add(row("37 terminal_blocks_grandchild", files("", "{rules: [{pattern: '**', access: {read: ['*']}}], terminal: true}",
        "a/b/c", "{rules: [{pattern: '**', access: {write: ['*']}}]}"),
        req("a/b/c/file.txt", R, U, true), req("a/b/c/file.txt", W, U, false)));
    rows.add(row("38 mid_level_terminal", files("", STAR_READ,
        "projects", "{rules: [{pattern: '**', access: {write: ['*']}}], terminal: true}",
        "projects/secret", "{rules: [{pattern: '**', access: {admin: ['*']}}]}"),
        req("readme.txt", R, U, true), req("readme.txt", W, U, false), req("projects/file.txt", W, U, true),
        req("projects/secret/file.txt", W, U, true), req("projects/secret/file.txt", A, U, false)));
    rows.add(row("39 closest_file_wins", files("", STAR_READ,
        "projects/reports", "{rules: [{pattern: '**', access: {read: [alice@test.com]}}]}"),
        req("readme.txt", R, "bob@test.com", true), req("projects/reports/q1.csv", R, "bob@test.com", false),
        req("projects/reports/q1.csv", R, "alice@test.com", true)));
    rows.add(row("40 parent_grants_child_denies", files("", "{rules: [{pattern: '**', access: {write: ['*']}}]}",
        "secret", STAR_READ),
        req("file.txt", W, U, true), req("secret/file.txt", R, U, true), req("secret/file.txt", W, U, false)));
    rows.add(row("41 parent_denies_child_grants", files("", "{rules: [{pattern: '**', access: {}}]}", "public", STAR_READ),
        req("file.txt", R, U, false), req("public/file.txt", R, U, true)));
    rows.add(row("42 deeply_nested", files("", STAR_READ, "a/b/c", "{rules: [{pattern: '**', access: {write: ['*']}}]}"),
        req("file.txt", W, U, false), req("a/b/c/file.txt", W, U, true)));
    rows.add(row("43 useremail_template_with_USER", files("", "{rules: [{pattern: '{{.UserEmail}}/**', access: {write: [USER]}}]}"),
        req("alice@test.com/file.txt", W, "alice@test.com", true), req("bob@test.com/file.txt", W, "alice@test.com", false),
        req("bob@test.com/file.txt", W, "bob@test.com", true)));
    rows.add(row("44 USER_without_template_is_star", files("", "{rules: [{pattern: public/**, access: {read: [USER]}}]}"),
        req("public/data.csv", R, "anyone@test.com", true)));
    rows.add(row("45 useremail_template_exact", files("", "{rules: [{pattern: '{{.UserEmail}}/profile.txt', access: {read: [USER]}}]}"),
        req("alice@test.com/profile.txt", R, "alice@test.com", true), req("alice@test.com/other.txt", R, "alice@test.com", false)));
    rows.add(row("46 template_ranked_above_literal", files("", "{rules: [{pattern: '**', access: {read: ['*']}},"
        + " {pattern: '{{.UserEmail}}/**', access: {write: [USER]}}]}"),
        req("alice@test.com/file.txt", W, "alice@test.com", true)));

    // 10.2 additional observed rows
    rows.add(row("10.2 dotfiles", files("", STAR_READ),
        req(".hidden", R, U, false), req("a/.env", R, U, false), req(".git/config", R, U, false)));
    rows.add(row("10.2 suffix triggers admin", files("", STAR_READ), req("xsyft.pub.yaml", R, U, false)));
    rows.add(row("10.2 tie first listed", files("", "{rules: [{pattern: 'a/*', access: {read: [" + U + "]}}, {pattern: '*/b', access: {}}]}"),
        req("a/b", R, U, true)));
    rows.add(row("10.2 tie first listed (reversed)", files("", "{rules: [{pattern: '*/b', access: {}}, {pattern: 'a/*', access: {read: [" + U + "]}}]}"),
        req("a/b", R, U, false)));
    rows.add(row("10.2 USER admin without template", files("", "{rules: [{pattern: '**', access: {admin: [USER]}}]}"),
        req("f", A, "anybody@x.com", true)));
    rows.add(row("10.2 terminal root *.csv", files("", "{rules: [{pattern: '*.csv', access: {read: ['*']}}], terminal: true}",
        "sub", STAR_READ), req("sub/x.csv", R, U, false), req("x.csv", R, U, true)));
    rows.add(row("10.2 child *.csv only", files("", STAR_READ, "sub", "{rules: [{pattern: '*.csv', access: {read: ['*']}}]}"),
        req("sub/x.txt", R, U, false), req("sub/deep/x.csv", R, U, false)));
    rows.add(row("10.2 terminal empty root", files("", "{rules: [], terminal: true}", "a", STAR_READ), req("a/f", R, U, false)));
    rows.add(row("10.2 empty child", files("", STAR_READ, "a", "rules: []"), req("a/f", R, U, false)));
    rows.add(row("10.2 domain wildcard is exact", files("", "{rules: [{pattern: '**', access: {read: ['*@company.com']}}]}"),
        req("f", R, "a@sub.company.com", false), req("f", R, "A@COMPANY.COM", false)));
    rows.add(row("10.2 case-sensitive entries", files("", "{rules: [{pattern: '**', access: {read: [Alice@x.com]}}]}"),
        req("f", R, "alice@x.com", false)));
    rows.add(row("10.2 owner is case-sensitive", files(), req("f", R, "OWNER@test.com", false)));
    rows.add(row("10.2 template in a subfolder", files("shared", "{rules: [{pattern: '{{.UserEmail}}/*.txt', access: {read: [USER]}}]}"),
        req("shared/u@x.com/a.txt", R, "u@x.com", true), req("shared/u@x.com/d/a.txt", R, "u@x.com", false),
        req("shared/v@x.com/a.txt", R, "u@x.com", false)));
    rows.add(row("10.2 admin of a sub folder", files("p", "{rules: [{pattern: '**', access: {admin: [a@x.com]}}]}"),
        req("p/syft.pub.yaml", W, "a@x.com", true), req("syft.pub.yaml", R, "a@x.com", false)));
    rows.add(row("10.2 e-mail substituted unescaped [quirk]", files("", "{rules: [{pattern: '{{.UserEmail}}/**', access: {read: [USER]}}]}"),
        req("axb@x.com/f", R, "a?b@x.com", true)));

    // 10.4 A-table, syft-java column (owner alice@x.org is replaced by this test's owner)
    String a03 = "{rules: [{pattern: public/*.txt, access: {read: ['*']}}, {pattern: private/*.txt, access: {}},"
        + " {pattern: '**', access: {}}], terminal: true}";
    rows.add(row("A01", files(), req("a.txt", R, "bob@x.org", false)));
    rows.add(row("A02", files(), req("a.txt", A, OWNER, true)));
    rows.add(row("A03-A07", files("", a03), req("public/doc.txt", R, "any@x.org", true),
        req("public/doc.txt", W, "any@x.org", false), req("private/secret.txt", R, "any@x.org", false),
        req("syft.pub.yaml", W, "any@x.org", false), req("private/secret.txt", W, OWNER, true),
        req("syft.pub.yaml", R, OWNER, true)));
    rows.add(row("A09", files("", "{rules: [{pattern: '*', access: {read: ['*']}}]}"), req("file.txt", R, U, true),
        req("sub/file.txt", R, U, false), req("a/b/c.txt", R, U, false)));
    rows.add(row("A10", files("", "{rules: [{pattern: '**/*.csv', access: {read: ['*']}}]}"), req("sub/data.csv", R, U, true),
        req("a/b/data.csv", R, U, true), req("data.csv", R, U, true)));
    rows.add(row("A13", files("", "{rules: [{pattern: '**/*.csv', access: {read: [bob@x.org]}}, {pattern: '**', access: {}}]}"),
        req("x.csv", R, "bob@x.org", true), req("x.txt", R, "bob@x.org", false)));
    rows.add(row("A14", files("", "{rules: [{pattern: domain_read/*, access: {read: ['*@example.com']}}]}"),
        req("domain_read/f", R, "user1@example.com", true), req("domain_read/f", R, "user@otherdomain.com", false)));
    rows.add(row("A15", files("", "{rules: [{pattern: admin_write/*, access: {write: ['admin*']}}]}"),
        req("admin_write/f", W, "admin1@example.com", true), req("admin_write/f", W, "administrator@test.com", true),
        req("admin_write/f", W, "user@example.com", false)));
    rows.add(row("A16", files("", "{rules: [{pattern: admin_files/*, access: {admin: ['admin*@example.com']}}]}"),
        req("admin_files/f", A, "admin1@example.com", true), req("admin_files/f", A, "admin@otherdomain.com", false)));
    rows.add(row("A17", files("", "{rules: [{pattern: multi_glob/*, access: {read: ['user*@test.com', '*@example.org']}}]}"),
        req("multi_glob/f", R, "user123@test.com", true), req("multi_glob/f", R, "anyone@example.org", true),
        req("multi_glob/f", R, "nomatch@random.com", false)));
    rows.add(row("A21", files("", "{rules: [{pattern: 'private_{{.UserEmail}}/*', access: {read: ['*']}}]}"),
        req("private_user1@example.com/document.txt", R, "user1@example.com", true),
        req("private_user2@example.com/document.txt", R, "user1@example.com", false)));
    rows.add(row("A24", files("", "{rules: [{pattern: '{{.UserEmail}}/private/**/*.txt', access: {read: [USER]}}]}"),
        req("u@test.com/private/deep/nested/file.txt", R, "u@test.com", true)));
    rows.add(row("A25", files("", "{rules: [{pattern: '{{.UserEmail}}/**', access: {read: [USER], write: [USER]}}]}"),
        req("bob@y.org/f", R, "bob@y.org", true), req("carol@z.org/f", R, "bob@y.org", false)));
    rows.add(row("A26", files("", "{rules: [{pattern: '**', access: {read: [USER]}}]}"), req("f", R, "any@x.org", true)));
    rows.add(row("A28", files("", "{rules: [{pattern: '**', access: {}}]}", "projects", STAR_READ),
        req("projects/x", R, "bob@x.org", true)));
    rows.add(row("A29", files("", "{rules: [{pattern: '**', access: {read: ['*@company.com']}}]}",
        "reports", "{rules: [{pattern: '**/*.csv', access: {read: [alice2@company.com]}}, {pattern: '**', access: {}}]}"),
        req("reports/readme.txt", R, "x@company.com", false)));
    rows.add(row("A30", files("", STAR_READ), req("notes/todo.txt", R, "bob@x.org", true)));
    rows.add(row("A31", files("secure", "{rules: [{pattern: '**', access: {}}], terminal: true}",
        "secure/child", "{rules: [{pattern: '*.txt', access: {read: ['*']}}]}",
        "secure/child/grandchild", "{rules: [{pattern: '*.md', access: {read: ['*']}}]}"),
        req("secure/child/test.txt", R, "bob@x.org", false), req("secure/child/grandchild/test.md", R, "bob@x.org", false)));
    rows.add(row("A32", files("open", STAR_READ, "open/child", "{rules: [{pattern: '*.txt', access: {}}]}"),
        req("open/child/test.txt", R, "bob@x.org", false)));
    rows.add(row("A43", files("", "{rules: [{pattern: '**', access: {write: [bob@x.org]}}]}"),
        req("syft.pub.yaml", R, "bob@x.org", false)));
    rows.add(row("A44", files("", "{rules: [{pattern: '**', access: {read: [Bob@X.org]}}]}"), req("f", R, "bob@x.org", false)));
    rows.add(row("A47", files("", "{rules: [{pattern: 'data/{a,b}.csv', access: {read: ['*']}}]}"),
        req("data/a.csv", R, U, false), req("data/{a,b}.csv", R, U, true)));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reference")
  void engine(String name, Map<String, String> files, List<Req> reqs, @TempDir Path tmp) throws IOException {
    PermissionTree tree = site(tmp, OWNER, files).tree();
    assertThat(tree.loaded()).as(name + ": " + tree.errors()).isTrue();
    for (Req r : reqs) {
      assertThat(tree.allows(r.path(), r.user(), r.level())).as(name + ": " + r).isEqualTo(r.allow());
      assertThat(tree.decide(r.path(), r.user(), r.level()).allowed()).as(name + ": " + r).isEqualTo(r.allow());
    }
  }

  static Datasite site(Path tmp, String owner, Map<String, String> files) throws IOException {
    Path root = Files.createDirectories(tmp.resolve(owner));
    for (var e : files.entrySet()) {
      Path dir = e.getKey().isEmpty() ? root : Files.createDirectories(root.resolve(e.getKey()));
      Files.writeString(dir.resolve("syft.pub.yaml"), e.getValue() + "\n");
    }
    return Datasite.builder(root).statInterval(null).build();
  }

  @Test
  void removingARulesetDenies(@TempDir Path tmp) throws IOException {
    // 10.1 test 7 and A35: deleting a leaf permission file
    Datasite ds = site(tmp, OWNER, files("", STAR_READ));
    assertThat(ds.tree().allows("file.txt", U, R)).isTrue();
    Files.delete(ds.root().resolve("syft.pub.yaml"));
    assertThat(ds.fileChanged("syft.pub.yaml")).isTrue();
    assertThat(ds.tree().allows("file.txt", U, R)).isFalse();
    assertThat(ds.tree().decide("file.txt", U, R).reason()).isEqualTo(Reason.NO_ACL_FILE);
  }

  @Test
  void replacingAndDeletingFilesWithDescendants(@TempDir Path tmp) throws IOException {
    // A34: a replaced file applies only its new rules; A36/A37: deleting a (terminal) file with
    // descendants lets the descendants decide again
    Datasite ds = site(tmp, OWNER, files("shared", "{rules: [{pattern: '*.txt', access: {read: ['*']}}]}",
        "shared/sub", STAR_READ));
    assertThat(ds.tree().allows("shared/a.txt", U, R)).isTrue();
    Files.writeString(ds.root().resolve("shared/syft.pub.yaml"),
        "{rules: [{pattern: '*.md', access: {read: ['*']}}, {pattern: '**', access: {}}], terminal: true}\n");
    ds.fileChanged("shared/syft.pub.yaml");
    assertThat(ds.tree().allows("shared/a.txt", U, R)).isFalse();
    assertThat(ds.tree().allows("shared/a.md", U, R)).isTrue();
    assertThat(ds.tree().allows("shared/sub/x", U, R)).isFalse(); // terminal hides shared/sub
    assertThat(ds.tree().governingFolder("shared/sub/x")).isEqualTo("shared");
    Files.delete(ds.root().resolve("shared/syft.pub.yaml"));
    ds.fileChanged("shared/syft.pub.yaml");
    assertThat(ds.tree().governingFolder("shared/sub/x")).isEqualTo("shared/sub");
    assertThat(ds.tree().allows("shared/sub/x", U, R)).isTrue();
  }

  @Test
  void governingNodes(@TempDir Path tmp) throws IOException {
    // A33
    PermissionTree t = site(tmp, OWNER, files("parent", "{rules: [{pattern: '*.txt', access: {}}]}",
        "parent/child", "{rules: [{pattern: '*.md', access: {}}]}",
        "parent/child/grandchild", "{rules: [{pattern: '*.go', access: {}}], terminal: true}")).tree();
    assertThat(t.governingFolder("parent/file.txt")).isEqualTo("parent");
    assertThat(t.governingFolder("parent/child/document.md")).isEqualTo("parent/child");
    assertThat(t.governingFolder("parent/child/grandchild/main.go")).isEqualTo("parent/child/grandchild");
    assertThat(t.governingFolder("parent/child/unknown.txt")).isEqualTo("parent/child");
    assertThat(t.governingFolder("other/x")).isNull();
  }

  @Test
  void pathFormsAtTheBoundary(@TempDir Path tmp) throws IOException {
    // A38: the user-facing API normalises paths; absolute and '..' paths are refused, not evaluated
    Datasite ds = site(tmp, OWNER, files("test/path", STAR_READ));
    assertThat(ds.check("test/path/x", U, R)).isTrue();
    assertThat(ds.check("./test/path/x", U, R)).isTrue();
    assertThat(ds.check("test//path/./x", U, R)).isTrue();
    assertThat(ds.check("test/path/", U, R)).isTrue(); // a folder: checked as test/path/__any__
    assertThatThrownBy(() -> ds.check("/test/path/x", U, R)).isInstanceOf(UnsafePathException.class)
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> ds.check("test/../test/path/x", U, R)).isInstanceOf(UnsafePathException.class)
        .hasMessageContaining("..");
  }

  @Test
  void ownerIsTheWholeFolderName(@TempDir Path tmp) throws IOException {
    // A45: bob@x.co is not the owner of bob@x.com's datasite
    Datasite ds = site(tmp, "bob@x.com", files());
    assertThat(ds.check("f", "bob@x.co", W)).isFalse();
    assertThat(ds.check("f", "bob@x.com", W)).isTrue();
    assertThat(ds.check("f", "Bob@X.com", W)).isTrue(); // the boundary lower-cases e-mails
  }

  @Test
  void brokenFileAnywhereFailsClosed(@TempDir Path tmp) throws IOException {
    // A48, vectors own-05 / yaml-11
    Datasite ds = site(tmp, OWNER, files("", STAR_READ, "zzz", "rules: {"));
    assertThat(ds.check("x.txt", U, R)).isFalse();
    assertThat(ds.check("x.txt", OWNER, R)).isFalse();
    assertThat(ds.problems()).first().satisfies(p -> {
      assertThat(p.file()).isEqualTo("zzz/syft.pub.yaml");
      assertThat(p.isError()).isTrue();
    });
    assertThatThrownBy(() -> ds.grant("x.txt", U, R)).isInstanceOf(PermissionRefusedException.class)
        .hasMessageContaining("zzz/syft.pub.yaml");
    Files.writeString(ds.root().resolve("zzz/syft.pub.yaml"), "rules: []\n");
    ds.fileChanged("zzz/syft.pub.yaml");
    assertThat(ds.check("x.txt", U, R)).isTrue();
  }

  @Test
  void symlinkedPermissionFileFailsClosed(@TempDir Path tmp) throws IOException {
    Datasite ds0 = site(tmp, OWNER, files("", STAR_READ));
    Path outside = Files.writeString(tmp.resolve("outside.yaml"), STAR_READ + "\n");
    Files.createDirectories(ds0.root().resolve("sub"));
    Files.createSymbolicLink(ds0.root().resolve("sub/syft.pub.yaml"), outside);
    Datasite ds = Datasite.open(ds0.root());
    assertThat(ds.tree().loaded()).isFalse();
    assertThat(ds.problems().get(0).message()).contains("symbolic link");
  }
}
