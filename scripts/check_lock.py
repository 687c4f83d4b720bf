"""The lock files agree with the requirements: every requirement pinned exactly (`==`), locked at
that version, every locked package with hashes, and nothing locked as a requirement that is no
longer one. Run by scripts/test.sh (CI fails when they disagree); scripts/lock.sh makes the locks."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = {"requirements.lock": "requirements.txt", "requirements-test.lock": "requirements-test.txt"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;#]+)")


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path: Path, problems: list[str]) -> dict[str, tuple[str, str]]:
    """{name: (version, the file that asks for it)} of a requirements file and the files it includes."""
    out: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            out.update(requirements(path.parent / line[3:].strip(), problems))
            continue
        m = PIN.match(line)
        if m is None:
            problems.append(f"{path.name}: {line!r} is not pinned exactly (name==version)")
            continue
        out[norm(m.group(1))] = (m.group(3), path.name)
    return out


def locked(path: Path) -> tuple[dict[str, str], dict[str, int], dict[str, set[str]]]:
    """{name: version}, {name: hash count}, {name: what it is there for (`-r FILE` or a package)}."""
    versions: dict[str, str] = {}
    hashes: dict[str, int] = {}
    via: dict[str, set[str]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        m = PIN.match(raw)
        if m:
            current = norm(m.group(1))
            versions[current], hashes[current], via[current] = m.group(3), 0, set()
        elif current and raw.strip().startswith("--hash="):
            hashes[current] += 1
        elif current and raw.strip().startswith("#"):
            words = raw.strip().lstrip("#").strip()
            words = words.removeprefix("via").strip()
            if words:
                via[current].add(words)
    return versions, hashes, via


def main(root: Path = ROOT) -> int:
    problems: list[str] = []
    for lock_name, req_name in PAIRS.items():
        lock, req = root / lock_name, root / req_name
        if not lock.exists():
            problems.append(f"{lock_name} is missing: run scripts/lock.sh")
            continue
        wanted = requirements(req, problems)
        versions, hashes, via = locked(lock)
        for name, (version, source) in sorted(wanted.items()):
            if name not in versions:
                problems.append(f"{lock_name}: {name} ({source}) is not locked: run scripts/lock.sh")
            elif versions[name] != version:
                problems.append(f"{lock_name}: {name} is locked at {versions[name]}, {source} asks for {version}")
        for name, count in sorted(hashes.items()):
            if not count:
                problems.append(f"{lock_name}: {name} has no hashes")
        direct = {n for n, reasons in via.items() if any(r.startswith("-r ") for r in reasons)}
        for name in sorted(direct - set(wanted)):
            problems.append(f"{lock_name}: {name} is locked as a requirement but no requirements file asks for it")
    runtime, _, _ = locked(root / "requirements.lock") if (root / "requirements.lock").exists() else ({}, {}, {})
    test, _, _ = locked(root / "requirements-test.lock") if (root / "requirements-test.lock").exists() else ({}, {}, {})
    for name in sorted(set(runtime) & set(test)):
        if runtime[name] != test[name]:
            problems.append(
                f"{name} is {runtime[name]} in requirements.lock but {test[name]} in requirements-test.lock"
            )
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
