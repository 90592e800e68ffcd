#!/usr/bin/env python3
"""One actor of syft-java's interop tests: the reference Python syft-client, driven through its
public API by JSON lines.

Usage: syft_actor.py --ref EXTRACTED_DIR --fake http://127.0.0.1:PORT/
(HOME must be the actor's own folder: the reference keeps its SyftBox at ~/SyftBox_<email>.)

Requests arrive on stdin, one JSON object per line: {"op": "...", ...arguments}. Each gets one
answer line on the original stdout: {"ok": true, "result": ...} or {"ok": false, "error": "...",
"trace": "..."}. Everything the reference prints (and every child process it starts) goes to
stderr, so the protocol stream stays clean. Bytes travel base64-encoded.
"""

import argparse
import base64
import glob
import io
import json
import os
import sys
import traceback
import types
from pathlib import Path


def _setup_imports(ref: Path) -> None:
    """The reference and its glob libraries first, then Debian's Google client libraries *after*
    the interpreter's own packages (whose pydantic 2 must win over Debian's pydantic 1)."""
    paths = [ref / "syft-client", ref / "wcmatch-10.1", ref / "bracex-2.6"]
    paths += [Path(p) for p in sorted(glob.glob(str(ref / "syft-client" / "packages" / "*" / "src")))]
    sys.path[0:0] = [str(p) for p in paths]
    if "/usr/lib/python3/dist-packages" not in sys.path:
        sys.path.append("/usr/lib/python3/dist-packages")
    # Debian's oauth2client pulls a pyOpenSSL that breaks beside this interpreter's cryptography;
    # googleapiclient only prefers it when importable, google-auth is used otherwise.
    sys.modules["oauth2client"] = None
    # nh3 only sanitises notebook HTML; syft_crypto_python is only used with encryption on (off here).
    nh3 = types.ModuleType("nh3")
    nh3.ALLOWED_TAGS = set()
    nh3.ALLOWED_ATTRIBUTES = {}
    nh3.clean = lambda html, **_: html
    sys.modules.setdefault("nh3", nh3)
    sys.modules.setdefault("syft_crypto_python", _EncryptionOff("syft_crypto_python"))


class _EncryptionOff(types.ModuleType):
    """Stands in for syft_crypto_python: its types may appear in annotations, any use is an error."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name[:1].isupper():
            return type(name, (), {})

        def unavailable(*_a, **_k):
            raise RuntimeError("encryption is not available in the interop tests (%s)" % name)

        return unavailable


def _redirect_google(fake_root: str) -> None:
    """Sends the Google endpoints the client libraries hard-code (discovery, OAuth token) to the fake;
    the discovery document the fake serves names the fake as rootUrl for everything else."""
    import httplib2

    prefixes = [
        ("https://accounts.google.com/o/oauth2/token", fake_root + "token"),
        ("https://oauth2.googleapis.com/token", fake_root + "token"),
        ("https://www.googleapis.com/", fake_root),
    ]
    original = httplib2.Http.request

    def request(self, uri, *args, **kwargs):
        for old, new in prefixes:
            if uri.startswith(old):
                uri = new + uri[len(old):]
                break
        if uri.startswith("https://"):
            raise ConnectionError("interop tests run on loopback only, refused " + uri)
        return original(self, uri, *args, **kwargs)

    httplib2.Http.request = request


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _version(v):
    return None if v is None else json.loads(v.model_dump_json())


class Actor:
    def __init__(self):
        self.client = None

    # -- identity
    def op_login(self, role, email, token_path, sync=True):
        import syft_client as sc

        login = sc.login_do if role == "do" else sc.login_ds
        self.client = login(email=email, token_path=token_path, sync=sync, load_peers=True)
        return {"syftbox": str(self.client.syftbox_folder)}

    # -- peers
    def op_add_peer(self, email):
        self.client.add_peer(email)

    def op_approve_peer(self, email):
        self.client.approve_peer_request(email)

    def op_reject_peer(self, email):
        self.client.reject_peer_request(email)

    def op_peers(self):
        # re-read SYFT_peers.json from Drive; client.peers then syncs (PRE_SYNC) and lists approved
        # peers and open requests
        self.client.load_peers(force_download=True)
        return [
            {"email": p.email, "state": p.state.value, "version": _version(p.version)}
            for p in self.client.peers
        ]

    def op_own_version(self):
        return _version(self.client.peer_manager.get_own_version())

    # -- sync
    def op_sync(self):
        self.client.sync()

    # -- datasets
    def op_create_dataset(self, name, mock_path, private_path, summary=None, users=None):
        ds = self.client.create_dataset(
            name=name, mock_path=mock_path, private_path=private_path, summary=summary, users=users
        )
        return {"name": ds.name}

    def op_datasets(self):
        out = []
        for d in self.client.datasets.get_all():
            out.append({
                "name": d.name,
                "owner": d.owner,
                "summary": d.summary,
                "mock": {p.name: _b64(p.read_bytes()) for p in d.mock_files if p.is_file()},
            })
        return out

    # -- jobs
    def op_submit_bash_job(self, user, script, job_name):
        self.client.submit_bash_job(user, script, job_name=job_name)

    def op_submit_python_job(self, user, code_path, job_name, entrypoint=None):
        self.client.submit_python_job(user, code_path, job_name=job_name, entrypoint=entrypoint)

    def _job(self, name):
        for j in self.client.jobs:
            if j.name == name:
                return j
        raise KeyError("no job named " + name)

    def op_jobs(self):
        out = []
        for j in self.client.jobs:
            outputs = {}
            if j.status == "done":
                for p in j.output_paths:
                    if p.is_file():
                        outputs[p.name] = _b64(p.read_bytes())
            out.append({"name": j.name, "status": j.status, "submitted_by": j.submitted_by,
                        "outputs": outputs})
        return out

    def op_approve_job(self, name):
        self._job(name).approve()

    def op_reject_job(self, name, reason=None):
        self._job(name).reject(reason)

    def op_process_approved_jobs(self, share_outputs=True, share_logs=False):
        self.client.process_approved_jobs(
            share_outputs_with_submitter=share_outputs, share_logs_with_submitter=share_logs
        )

    # -- a file the user puts in their own datasite (e.g. a syft.pub.yaml), picked up by the next sync
    def op_write_own_file(self, path, content_b64):
        target = Path(self.client.syftbox_folder) / self.client.email / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(content_b64))

    # -- a file proposed into a peer's datasite: the reference has no public call for arbitrary
    #    files; its job submission writes into the local copy of the peer's datasite and hands each
    #    path to the watcher syncer, and so does this.
    def op_propose(self, datasite, path, content_b64):
        root = Path(self.client.syftbox_folder)
        target = root / datasite / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(content_b64))
        self.client.datasite_watcher_syncer.on_file_change(target.relative_to(root), process_now=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ref", required=True)
    parser.add_argument("--fake", required=True)
    args = parser.parse_args()

    # the protocol keeps the real stdin/stdout; the reference gets stderr and no stdin (a prompt fails)
    proto_out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    proto_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    sys.stdout = sys.stderr
    sys.stdin = io.StringIO("")

    def answer(obj):
        proto_out.write(json.dumps(obj) + "\n")
        proto_out.flush()

    try:
        _setup_imports(Path(args.ref))
        _redirect_google(args.fake if args.fake.endswith("/") else args.fake + "/")
        import syft_client  # noqa: F401  (fail at start, not at the first request)
        import pydantic
    except BaseException as e:  # noqa: BLE001  (reported to the test, which shows it)
        answer({"ok": False, "error": "cannot import the reference: %r" % (e,), "trace": traceback.format_exc()})
        return 1
    answer({"ok": True, "result": {"python": sys.version.split()[0], "pydantic": pydantic.VERSION}})

    actor = Actor()
    for line in proto_in:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            op = req.pop("op")
            if op == "quit":
                answer({"ok": True, "result": None})
                return 0
            result = getattr(actor, "op_" + op)(**req)
            answer({"ok": True, "result": result})
        except BaseException as e:  # noqa: BLE001  (SystemExit from a prompt included)
            answer({"ok": False, "error": "%s: %s" % (type(e).__name__, e), "trace": traceback.format_exc()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
