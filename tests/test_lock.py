"""The dependency lock agrees with the requirements (scripts/check_lock.py, run by scripts/test.sh),
and a disagreement fails: a pin changed without locking again, a requirement not pinned exactly,
a requirement dropped but still locked, a package imported but not listed."""

from __future__ import annotations

import ast
import importlib.util
import shutil
import sys
from pathlib import Path

from bot.config import ROOT

spec = importlib.util.spec_from_file_location("check_lock", ROOT / "scripts" / "check_lock.py")
check_lock = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_lock)
FILES = ("requirements.txt", "requirements-test.txt", "requirements.lock", "requirements-test.lock")
# the import name of each listed distribution that is imported under another name
IMPORTED_AS = {"fluent-runtime": "fluent", "pillow": "PIL", "python-bidi": "bidi", "pyyaml": "yaml"}


def _copy(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_lock_agrees_with_the_requirements():
    assert check_lock.main() == 0


def test_a_disagreement_fails(tmp_path, capsys):
    root = _copy(tmp_path)
    text = (root / "requirements.txt").read_text()
    (root / "requirements.txt").write_text(text.replace("aiohttp==3.14.5", "aiohttp==3.14.4"))
    assert check_lock.main(root) == 1 and "aiohttp is locked at 3.14.5" in capsys.readouterr().err
    (root / "requirements.txt").write_text(text.replace("limits==5.6.0", "limits>=5.0"))
    assert check_lock.main(root) == 1 and "not pinned exactly" in capsys.readouterr().err
    (root / "requirements.txt").write_text(text.replace("jdatetime==6.1.1\n", ""))
    assert check_lock.main(root) == 1 and "jdatetime is locked as a requirement" in capsys.readouterr().err
    (root / "requirements.txt").write_text(text + "left-pad==1.0\n")
    assert check_lock.main(root) == 1 and "left-pad" in capsys.readouterr().err


def test_every_imported_package_is_listed():
    listed = {check_lock.norm(n) for n in check_lock.requirements(ROOT / "requirements-test.txt", [])}
    names = {IMPORTED_AS.get(n, n.replace("-", "_")).lower() for n in listed} | {"tortoise", "magic_filter"}
    ours = {p.name for p in ROOT.iterdir() if p.is_dir()} | {p.stem for p in ROOT.glob("*.py")}
    imported: set[str] = set()
    for folder in ("bot", "desk", "handlers", "models", "standin", "migrations", "tests", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    imported |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m not in ours}
    assert {m.lower() for m in third_party} - names == set()
