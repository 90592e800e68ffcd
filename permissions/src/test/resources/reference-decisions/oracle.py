"""Runs permission cases through the reference engine (syft-permissions 0.1.14, wcmatch 10.1).

Input: JSON {"cases": [{id, acl_files, user, path, level, ...}]}; output: the same with "expected"
(allow / deny / error) filled in. The datasite owner is owner@example.com, as in the golden vectors.
"""
import json, sys, tempfile
from pathlib import Path
from syft_permissions import ACLService, ACLRequest, AccessLevel, User

OWNER = "owner@example.com"
LEVELS = {"read": AccessLevel.READ, "write": AccessLevel.WRITE, "admin": AccessLevel.ADMIN}

def decide(case):
    with tempfile.TemporaryDirectory() as tmp:
        ds = Path(tmp) / OWNER
        ds.mkdir()
        for folder, text in case["acl_files"].items():
            d = ds / folder if folder else ds
            d.mkdir(parents=True, exist_ok=True)
            (d / "syft.pub.yaml").write_text(text, encoding="utf-8")
        svc = ACLService(owner=OWNER)
        try:
            svc.load_permissions_from_filesystem(ds)
        except Exception as e:  # the reference cannot load: no decision
            return "error", type(e).__name__
        req = ACLRequest(path=case["path"], level=LEVELS[case["level"]], user=User(id=case["user"]))
        return ("allow" if svc.can_access(req) else "deny"), None

def main():
    data = json.load(open(sys.argv[1], encoding="utf-8"))
    for c in data["cases"]:
        c["expected"], err = decide(c)
        if err:
            c["error_type"] = err
    json.dump(data, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")

if __name__ == "__main__":
    main()
