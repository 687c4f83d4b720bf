"""How long after `python -m bot run` starts does a citizen's first /start get its answer?

    python bench/start_bench.py [--rounds 3]

The Bot API is the project's stand-in over HTTP on this machine; the bot is a real process on a
fresh SQLite database (first start: migrations run) and then again on the same database (a
restart). The /start is sent before the process is launched, as a citizen waiting would, so the
figure is launch-to-answer. Beside it: a bare `python -c "import aiogram"` start, the floor any
aiogram bot pays on this machine in the same run. The target is 3 s."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from standin.core import Standin  # noqa: E402
from standin.server import make_app  # noqa: E402
from standin.spec import ApiSpec  # noqa: E402

TOKEN = "123456:bench-start"
TARGET = 3.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _answered(user, after: int, timeout: float = 60.0) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(user.messages) > after:
            return time.monotonic()
        await asyncio.sleep(0.005)
    raise TimeoutError("no answer to /start")


async def one_start(standin: Standin, port: int, workdir: Path, name: str) -> float:
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": f"http://127.0.0.1:{port}",
        "BOT_PLATFORM": "telegram",
        "DATABASE_URL": f"sqlite://{workdir}/desk.sqlite3",
        "DOCUMENTS_DIR": str(workdir / "docs"),
        "REDIS_URL": "",
    }
    user = standin.user(name)
    await user.send("/start")
    before = len(user.messages)
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        return await _answered(user, before) - started
    finally:
        proc.terminate()
        await proc.wait()


def bare_import() -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "import aiogram"], check=True)
    return time.monotonic() - started


async def main(rounds: int) -> None:
    standin = Standin(ApiSpec(ROOT / "tests" / "telegram-bot-api" / "api.json"), strict=True)
    standin.add_bot(TOKEN)
    runner = web.AppRunner(make_app(standin))
    await runner.setup()
    port = _free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    first, again, floor = [], [], []
    try:
        for n in range(rounds):
            with tempfile.TemporaryDirectory() as tmp:
                first.append(await one_start(standin, port, Path(tmp), f"first{n}"))
                again.append(await one_start(standin, port, Path(tmp), f"again{n}"))
            floor.append(bare_import())
    finally:
        await runner.cleanup()
    print(f"{'':34}{'median':>8}{'min':>8}{'max':>8}")
    for label, xs in (
        ("first start (migrations) → answer", first),
        ("restart → answer", again),
        ("bare `import aiogram` (floor)", floor),
    ):
        print(f"{label:34}{statistics.median(xs):8.2f}{min(xs):8.2f}{max(xs):8.2f}  s")
    worst = max(statistics.median(first), statistics.median(again))
    print(f"target ≤ {TARGET:.1f} s: {'met' if worst <= TARGET else 'missed'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main(parser.parse_args().rounds))
