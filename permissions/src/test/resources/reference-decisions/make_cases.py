"""The permission cases of families.json (our own, one family per way syft-java once differed from
the reference). Prints the cases without expectations; oracle.py fills them in."""
import json
A = "alice@example.com"
def q(x):
    return "'" + x.replace("'", "''") + "'"
def acl(rules, terminal=None):
    parts = []
    for p, acc in rules:
        a = ", ".join(f"{k}: [{', '.join(q(x) for x in v)}]" for k, v in acc.items())
        parts.append(f"{{pattern: {q(p)}, access: {{{a}}}}}")
    s = "{rules: [" + ", ".join(parts) + "]"
    if terminal is not None:
        s += f", terminal: {str(terminal).lower()}"
    return s + "}\n"
cases = []
def case(fam, cid, files, user, path, level, note):
    cases.append({"id": f"{fam}-{cid}", "family": fam, "acl_files": files, "user": user, "path": path,
                  "level": level, "note": note})
EVERY = {"": acl([("**", {"read": ["*"]})])}
TPL = {"": acl([("{{.UserEmail}}/**", {"read": ["USER"]})])}
# owner comparison and the requester's letter case
case("owner", "01", {}, "Owner@example.com", "x.txt", "read", "different-case owner address is not the owner")
case("owner", "02", EVERY, "OWNER@EXAMPLE.COM", "x.txt", "read", "upper-case owner is an ordinary user: '*' read applies")
case("owner", "03", EVERY, "OWNER@EXAMPLE.COM", "x.txt", "write", "upper-case owner has no write")
case("owner", "04", {}, "owner@example.com ", "x.txt", "read", "trailing space: not the owner")
case("owner", "05", {}, " owner@example.com", "x.txt", "read", "leading space: not the owner")
case("owner", "06", {}, "owner@example.com", "", "admin", "owner may do anything, even on the empty path")
case("owner", "07", {"": acl([("**", {"read": [A]})])}, "Alice@example.com", "x.txt", "read", "listed address differs in case")
case("owner", "08", {"": acl([("**", {"read": ["Alice@Example.com"]})])}, A, "x.txt", "read", "list entry differs in case")
case("owner", "09", {"": acl([("**", {"read": ["Alice@Example.com"]})])}, "Alice@Example.com", "x.txt", "read", "exact mixed-case match")
case("owner", "10", {"": acl([("**", {"read": ["*@example.com"]})])}, "Alice@Example.com", "x.txt", "read", "fnmatch is case-sensitive")
case("owner", "11", {"": acl([("**", {"read": ["*@EXAMPLE.COM"]})])}, "ALICE@EXAMPLE.COM", "x.txt", "read", "upper-case wildcard matches upper-case id")
case("owner", "12", {"": "rules: [\n"}, "Owner@example.com", "x.txt", "read", "broken file: error for everyone")
# template substitution
case("tpl", "01", TPL, "Alice@example.com", "Alice@example.com/x.txt", "read", "substitution keeps case: own mixed-case folder")
case("tpl", "02", TPL, "Alice@example.com", "alice@example.com/x.txt", "read", "lower-case folder is not the mixed-case user's")
case("tpl", "03", TPL, "alice@example.com", "Alice@example.com/x.txt", "read", "mixed-case folder is not the lower-case user's")
case("tpl", "04", TPL, "*", "bob@example.com/x.txt", "read", "user '*' turns the pattern into '*/**' and USER into everyone")
case("tpl", "05", TPL, "*@example.com", "bob@example.com/x.txt", "read", "wildcard user id matches another user's folder")
case("tpl", "06", TPL, "*@example.com", "bob@other.org/x.txt", "read", "wildcard user id: other domain's folder")
case("tpl", "07", TPL, "b*@example.com", "bob@example.com/x.txt", "read", "'*' inside the id")
case("tpl", "08", TPL, "?ob@example.com", "bob@example.com/x.txt", "read", "'?' inside the id")
case("tpl", "09", TPL, "[ab]ob@example.com", "bob@example.com/x.txt", "read", "'[...]' inside the id: glob path, exact USER")
case("tpl", "10", TPL, "[ab]ob@example.com", "[ab]ob@example.com/x.txt", "read", "'[...]' id does not match its literal folder")
case("tpl", "11", {"": acl([("{{.UserEmail}}/**", {"read": [A]})])}, "*", "alice@example.com/x.txt", "read", "wildcard id, explicit list: compared exactly")
case("tpl", "12", TPL, "alice@example.com/sub", "alice@example.com/sub/x.txt", "read", "id with '/': pattern spans two folders")
case("tpl", "13", TPL, "**", "bob@example.com/deep/x.txt", "read", "id '**' matches every folder")
case("tpl", "14", TPL, "x/../bob@example.com", "bob@example.com/x.txt", "read", "'..' in the id is not resolved")
case("tpl", "15", {"inbox": acl([("{{.UserEmail}}/*", {"write": ["USER"]})])}, "*", "inbox/bob@example.com/job.txt", "write", "wildcard id writes into another user's inbox folder")
case("tpl", "16", {"": acl([("inbox/{{.UserEmail}}", {"write": ["USER"]})])}, "*", "inbox/bob@example.com", "write", "template without glob becomes a glob through the id")
case("tpl", "17", {"": acl([("{{.UserEmail}}/**", {"read": ["USER"]}), ("**", {"read": [A]})])}, "*", "bob@example.com/x.txt", "read", "template rule sorted first, matches through the wildcard id")
case("tpl", "18", {"": acl([("{{.UserEmail}}/**", {"read": ["USER"]})])}, "", "x.txt", "read", "empty id: pattern '/**'")
case("tpl", "19", {"": acl([("{{.UserEmail}}", {"read": ["USER"]})])}, "Bob@Example.com", "Bob@Example.com", "read", "exact template, mixed case")
case("tpl", "20", {"": acl([("{{.UserEmail}}/**", {"read": ["*@example.com"]})])}, "*@example.com", "bob@example.com/x.txt", "read", "wildcard id against a wildcard entry")
case("tpl", "21", {"sub": acl([("{{.UserEmail}}/**", {"read": ["USER"]})])}, "../x", "sub/../x/y.txt", "read", "'..' id against a '..' path")
case("tpl", "22", TPL, "a{{.UserEmail}}", "aa{{.UserEmail}}/x.txt", "read", "an id holding the template is substituted twice")
case("tpl", "23", TPL, "a{{.UserEmail}}", "a{{.UserEmail}}/x.txt", "read", "... so the once-substituted folder is not matched")
case("tpl", "24", {"": acl([("{{.UserEmail}}", {"read": ["USER"]})])}, "x{{.UserEmail}}", "xx{{.UserEmail}}", "read", "double substitution in an exact template")
# principal wildcards by string shape
W = lambda entry: {"": acl([("**", {"read": [entry]})])}
case("prin", "01", W("*@example.com"), "evil@x@example.com", "x.txt", "read", "two '@': still matches the shape")
case("prin", "02", W("*@example.com"), "@example.com", "x.txt", "read", "empty local part matches")
case("prin", "03", W("*@example.com"), "a/b@example.com", "x.txt", "read", "fnmatch '*' crosses '/'")
case("prin", "04", W("alice@example.com*"), "alice@example.com.evil.org", "x.txt", "read", "trailing '*' matches a longer domain")
case("prin", "05", W("[ab]ob@example.com"), "bob@example.com", "x.txt", "read", "'[...]' alone is compared exactly")
case("prin", "06", W("[ab]ob@example.com"), "[ab]ob@example.com", "x.txt", "read", "'[...]' entry equals the literal id")
case("prin", "07", W("*[ab]ob@example.com"), "bob@example.com", "x.txt", "read", "class inside an fnmatch pattern")
case("prin", "08", W("[!a]ob@example.com*"), "bob@example.com", "x.txt", "read", "fnmatch negated class '[!a]'")
case("prin", "09", W("[^a]ob@example.com*"), "bob@example.com", "x.txt", "read", "fnmatch '[^a]' is not negation")
case("prin", "10", W("[^a]ob@example.com*"), "^ob@example.com", "x.txt", "read", "fnmatch '[^a]' matches '^'")
case("prin", "11", W("**"), "", "x.txt", "read", "'**' entry matches the empty id")
case("prin", "12", W("*@example.com"), "*", "x.txt", "read", "user '*' does not match '*@example.com'")
case("prin", "13", W("*@example.com"), "*@example.com", "x.txt", "read", "user equal to the pattern matches")
case("prin", "14", W(A), "*", "x.txt", "read", "user '*' against an exact entry")
case("prin", "15", W("bob@example.com?"), "bob@example.com", "x.txt", "read", "'?' needs one character")
case("prin", "16", W("*@example.com"), "alice\nx@example.com", "x.txt", "read", "newline in the id: '*' spans it")
case("prin", "17", W("a\\*@example.com"), "a*@example.com", "x.txt", "read", "backslash is not an escape in fnmatch")
case("prin", "18", W("a\\*@example.com"), "a\\b@example.com", "x.txt", "read", "backslash is a literal character")
case("prin", "19", W("[a-c]*@example.com"), "bob@example.com", "x.txt", "read", "range class")
case("prin", "20", W("*@example.com"), "alice@example.com", "x.txt", "read", "ordinary domain wildcard")
case("prin", "21", W("USER*"), "USERx", "x.txt", "read", "'USER*' is a pattern, not the USER token")
case("prin", "22", W("[]]*"), "]x", "x.txt", "read", "']' first in a class is literal")
# the ACL folder itself: empty relative path
R = lambda pat: {"": acl([(pat, {"read": ["*"], "admin": ["*"]})])}
T = lambda pat: {"team": acl([(pat, {"read": ["*"], "admin": ["*"]})])}
case("empty", "01", R("**"), A, "", "read", "root path against '**'")
case("empty", "02", R("*"), A, "", "read", "root path against '*'")
case("empty", "03", R(""), A, "", "read", "root path against the empty pattern (exact compare)")
case("empty", "04", T("**"), A, "team", "read", "ACL folder itself against '**'")
case("empty", "05", T("*"), A, "team", "read", "ACL folder itself against '*'")
case("empty", "06", T("**"), A, "team/", "read", "ACL folder with a trailing '/'")
case("empty", "07", T("**"), A, "team", "admin", "ACL folder, admin asked")
case("empty", "08", T(""), A, "team", "read", "ACL folder against the empty pattern")
case("empty", "09", R("**"), A, "/", "read", "'/' alone")
case("empty", "10", R("**"), A, "team", "read", "a folder without its own ACL: relative path 'team' matches '**'")
case("empty", "11", {"a": acl([("**", {"read": ["*"]})], terminal=True)}, A, "a", "read", "terminal ACL folder itself")
case("empty", "12", T("**/*"), A, "team", "read", "'**/*' against the ACL folder")
case("empty", "13", T("?*"), A, "team//", "read", "ACL folder with two trailing slashes")
case("empty", "14", {"team": acl([("**", {"read": ["*"]})]), "": acl([("team", {"read": ["*"]})])}, A, "team", "read", "nearest file decides, not the parent's rule naming the folder")
# YAML anchors, aliases and merge keys
case("yaml", "01", {"": "x: &r {pattern: '**', access: {read: [alice@example.com]}}\nrules: [*r]\n"}, A, "x.txt", "read", "a rule given by alias")
case("yaml", "02", {"": "rules:\n- pattern: a/**\n  access: {read: &u [alice@example.com]}\n- pattern: b/**\n  access: {read: *u}\n"}, A, "b/x.txt", "read", "a user list given by alias")
case("yaml", "03", {"": "base: &b {read: [alice@example.com]}\nrules:\n- pattern: '**'\n  access:\n    <<: *b\n    write: [bob@example.com]\n"}, A, "x.txt", "read", "merge key brings read")
case("yaml", "04", {"": "base: &b {read: [alice@example.com]}\nrules:\n- pattern: '**'\n  access:\n    <<: *b\n    write: [bob@example.com]\n"}, "bob@example.com", "x.txt", "write", "merge key keeps own keys")
case("yaml", "05", {"": "base: &b {read: [alice@example.com]}\nrules:\n- pattern: '**'\n  access:\n    <<: *b\n    read: [bob@example.com]\n"}, A, "x.txt", "read", "own key overrides the merged one")
case("yaml", "06", {"": "a: &a {read: [alice@example.com]}\nb: &b {read: [bob@example.com]}\nrules:\n- pattern: '**'\n  access:\n    <<: [*a, *b]\n"}, A, "x.txt", "read", "merge list: the first mapping wins")
case("yaml", "07", {"": "a: &a {read: [alice@example.com]}\nb: &b {read: [bob@example.com]}\nrules:\n- pattern: '**'\n  access:\n    <<: [*a, *b]\n"}, "bob@example.com", "x.txt", "read", "merge list: the second mapping loses")
case("yaml", "08", {"": "rules:\n- {pattern: '**', access: {read: [&a alice@example.com], write: [*a]}}\n"}, A, "x.txt", "write", "a scalar alias")
case("yaml", "09", {"": "t: &t yes\nrules: [{pattern: '**', access: {read: [bob@example.com]}}]\nterminal: *t\n", "team": acl([("**", {"read": [A]})])}, A, "team/x.txt", "read", "terminal given by alias (YAML 1.1 'yes')")
case("yaml", "10", {"": "rules: [*nope]\n"}, A, "x.txt", "read", "undefined alias: load error")
case("yaml", "11", {"": "a: &x [1]\nb: &x []\nrules: *x\n"}, A, "x.txt", "read", "duplicate anchor")
case("yaml", "12", {"": "p: &p {pattern: '**'}\nrules:\n- <<: *p\n  access: {read: [alice@example.com]}\n"}, A, "x.txt", "read", "merge key in a rule")
case("yaml", "13", {"": "rules:\n- pattern: '**'\n  access:\n    <<: [alice@example.com]\n"}, A, "x.txt", "read", "merge of a non-mapping: load error")
case("yaml", "14", {"": "rules: &r\n- pattern: '**'\n  access: {read: [alice@example.com]}\nother: *r\n"}, A, "x.txt", "read", "anchor on the rules list itself")
case("yaml", "15", {"": "rules:\n- pattern: '**'\n  access:\n    '<<': {read: [alice@example.com]}\n"}, A, "x.txt", "read", "a quoted '<<' is an ordinary (ignored) key")
case("yaml", "16", {"": "rules:\n- pattern: '**'\n  access: &a\n    read: [alice@example.com]\n    x: *a\n"}, A, "x.txt", "read", "a recursive alias under an ignored key")
case("yaml", "17", {"": "u: &u alice@example.com\nrules: [{pattern: '**', access: {read: [*u, bob@example.com]}}]\n"}, "bob@example.com", "x.txt", "read", "alias beside a plain entry")
case("yaml", "18", {"": "n: &n 123\nrules: [{pattern: *n, access: {read: ['*']}}]\n"}, A, "123", "read", "an alias keeps the scalar's type (int pattern: load error)")
case("yaml", "19", {"": "b: &b {<<: {read: [alice@example.com]}}\nrules: [{pattern: '**', access: *b}]\n"}, A, "x.txt", "read", "a merge inside an aliased mapping")
# a leading '/' and empty segments in the request path
case("slash", "01", EVERY, A, "/x.txt", "read", "leading '/'")
case("slash", "02", {"": acl([("**", {"read": [A]})]), "team": acl([("**", {"read": ["bob@example.com"]})])}, "bob@example.com", "/team/x.txt", "read", "leading '/' still finds team/")
case("slash", "03", {"": acl([("**", {"read": [A]})]), "team": acl([("**", {"read": ["bob@example.com"]})])}, "bob@example.com", "//team//x.txt", "read", "doubled slashes")
case("slash", "04", {"team": acl([("x.txt", {"read": [A]})])}, A, "team/x.txt/", "read", "trailing '/'")
case("slash", "05", {"": acl([("/x.txt", {"read": [A]})])}, A, "/x.txt", "read", "an absolute pattern never matches (relative path is 'x.txt')")
case("slash", "06", {"": acl([("x.txt", {"read": [A]})])}, A, "/x.txt", "read", "leading '/' against an exact pattern")
case("slash", "07", {"": acl([("**", {"read": [A], "admin": ["bob@example.com"]})])}, A, "/syft.pub.yaml", "read", "leading '/' on the ACL file still needs admin")
case("slash", "08", {"": acl([("**", {"read": ["*"], "admin": ["*"]})])}, A, "syft.pub.yaml/", "write", "trailing '/' hides the ACL-file suffix")
case("slash", "09", EVERY, A, "./x.txt", "read", "'./' is a dot segment, not stripped")
case("slash", "10", {"a": acl([("**", {"read": ["*"]})])}, A, "a/../x.txt", "read", "'..' is a segment under a/")
case("slash", "11", {"a": acl([("../x.txt", {"read": ["*"]})])}, A, "a/../x.txt", "read", "a literal '..' pattern matches a literal '..' path")
case("slash", "12", {"": acl([("a/b.txt", {"read": [A]})])}, A, "a//b.txt", "read", "doubled slash inside, exact pattern")
case("slash", "13", {"": acl([("*/b.txt", {"read": [A]})])}, A, "/a/b.txt", "read", "leading '/' with a glob")
case("slash", "14", {"t": acl([("**", {"read": [A]})], terminal=True), "t/u": acl([("**", {"read": ["bob@example.com"]})])}, "bob@example.com", "/t/u/x", "read", "leading '/' and terminal")
print(json.dumps({"owner": "owner@example.com", "cases": cases}, indent=1, ensure_ascii=False))
