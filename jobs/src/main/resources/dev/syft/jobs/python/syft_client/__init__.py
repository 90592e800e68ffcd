"""syft_client as seen by a job that a syft-java data owner runs.

syft-java does not install the Python syft-client package into jobs (they run without network);
it puts this small module on the job's PYTHONPATH instead, so jobs written for the reference run
unchanged. It offers the dataset helpers jobs use, with the reference's semantics:

* inside a job (SYFT_IS_IN_JOB=true) the private files of a dataset, outside the mock files;
* the SyftBox folder from the argument, the client, or SYFTBOX_FOLDER;
* the owner from the argument, the unique owner of that dataset name (with a client), or SYFTBOX_EMAIL.

Inside the sandbox only the datasets the data owner approved for the job are present.
"""

import importlib.util
import os
import sys
from pathlib import Path

__version__ = "0.1.117"
__all__ = [
    "resolve_dataset_file_path",
    "resolve_dataset_files_path",
    "resolve_path",
    "load_dataset_code",
]

def _in_job():
    return os.environ.get("SYFT_IS_IN_JOB", "").lower() == "true"


def _syftbox(syftbox_folder=None, client=None):
    if syftbox_folder:
        return Path(syftbox_folder)
    if client is not None:
        for attr in ("syftbox_folder", "syftbox_root", "folder"):
            value = getattr(client, attr, None)
            if value:
                return Path(value)
    env = os.environ.get("SYFTBOX_FOLDER")
    if env:
        return Path(env)
    raise ValueError(
        "cannot tell where the SyftBox folder is: pass client= for local testing "
        "(and remove it before submitting), or syftbox_folder="
    )


def _owner(name, sb, owner_email=None, client=None):
    if owner_email:
        return owner_email
    if client is not None:
        owners = []
        if sb.is_dir():
            for d in sorted(sb.iterdir()):
                if "@" in d.name and (d / "public" / "syft_datasets" / name / "dataset.yaml").is_file():
                    owners.append(d.name)
        if len(owners) == 1:
            return owners[0]
        if not owners:
            raise ValueError("no datasets with name %r" % (name,))
        raise ValueError("datasets named %r exist at %s: specify owner_email" % (name, ", ".join(owners)))
    env = os.environ.get("SYFTBOX_EMAIL")
    if env:
        return env
    raise ValueError(
        "cannot tell whose dataset %r is: pass owner_email=, or client= for local testing "
        "(and remove it before submitting)" % (name,)
    )


def resolve_path(url, syftbox_folder=None):
    """Maps syft://<owner>/<path> to <SyftBox folder>/<owner>/<path>."""
    text = str(url)
    if text.startswith("syft:/") and not text.startswith("syft://"):
        text = "syft://" + text[len("syft:/"):]
    if not text.startswith("syft://"):
        raise ValueError("not a syft:// URL: %r" % (text,))
    rest = text[len("syft://"):].split("?", 1)[0]
    host, _, path = rest.partition("/")
    if not host:
        raise ValueError("a syft:// URL needs an owner: %r" % (text,))
    return _syftbox(syftbox_folder) / host / path


def _mock_urls(meta):
    text = meta.read_text(encoding="utf-8")
    try:
        import yaml  # noqa: F401

        data = yaml.safe_load(text) or {}
        return [str(u) for u in (data.get("mock_files_urls") or [])]
    except ImportError:
        pass
    urls = []
    inside = False
    for line in text.splitlines():
        if line.startswith("mock_files_urls:"):
            if line.split(":", 1)[1].strip() == "[]":
                return []
            inside = True
            continue
        if not inside:
            continue
        stripped = line.strip()
        if stripped.startswith("- "):
            value = stripped[2:].strip()
            if len(value) >= 2 and value[0] == value[-1] == "'":
                value = value[1:-1].replace("''", "'")
            elif len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            urls.append(value)
        elif line and not line[0].isspace():
            break
    return urls


def _mock_files(sb, owner, name):
    base = sb / owner / "public" / "syft_datasets" / name
    meta = base / "dataset.yaml"
    if meta.is_file():
        urls = _mock_urls(meta)
        if urls:
            return [resolve_path(u, sb) for u in urls]
    if not base.is_dir():
        raise FileNotFoundError("dataset %r of %s not found (looked in %s)" % (name, owner, base))
    return sorted(
        p for p in base.iterdir()
        if p.is_file() and p.name not in ("dataset.yaml", "syft.pub.yaml") and not p.name.lower().endswith(".md")
    )


def _private_files(sb, owner, name):
    base = sb / owner / "private" / "syft_datasets" / name
    if not base.is_dir():
        raise FileNotFoundError(
            "dataset %r of %s is not available to this job: the data owner makes only the datasets "
            "the job names available" % (name, owner)
        )
    # like syft-java's DatasetResolver: recursive and sorted by relative path (the reference lists only
    # top-level files, in file-system order, which is not stable); no metadata or permission files
    files = []
    for p in base.rglob("*"):
        rel = p.relative_to(base).as_posix()
        if p.is_symlink() or not p.is_file():
            continue
        if rel == "private_metadata.yaml" or p.name == "syft.pub.yaml":
            continue
        files.append((rel, p))
    return [p for _, p in sorted(files)]


def resolve_dataset_files_path(name, syftbox_folder=None, owner_email=None, client=None):
    """The private files of dataset `name` inside a job, its mock files otherwise."""
    in_job = _in_job()
    sb = _syftbox(syftbox_folder, client)
    owner = _owner(name, sb, owner_email, client)
    if in_job:
        return _private_files(sb, owner, name)
    if client is not None:
        print("resolving MOCK files (local test mode)")
    return _mock_files(sb, owner, name)


def resolve_dataset_file_path(name, syftbox_folder=None, owner_email=None, client=None):
    """The first file of resolve_dataset_files_path."""
    files = resolve_dataset_files_path(name, syftbox_folder, owner_email, client)
    if not files:
        raise FileNotFoundError("dataset %r has no files" % (name,))
    return files[0]


def load_dataset_code(path, owner_email=None, syftbox_folder=None, client=None, module_name=None):
    """Imports <dataset>/<a>/<b>.py for "<dataset>.<a>.<b>" (private folder in a job, mock otherwise)."""
    parts = str(path).split(".")
    if len(parts) < 2:
        raise ValueError("Invalid path %r: use <dataset>.<module path>" % (path,))
    name = parts[0]
    sb = _syftbox(syftbox_folder, client)
    owner = _owner(name, sb, owner_email, client)
    side = "private" if _in_job() else "public"
    file = sb.joinpath(owner, side, "syft_datasets", name, *parts[1:-1], parts[-1] + ".py")
    if not file.is_file():
        raise FileNotFoundError("Code file not found: %s" % (file,))
    mod_name = module_name or parts[-1]
    spec = importlib.util.spec_from_file_location(mod_name, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    spec.loader.exec_module(module)
    return module
