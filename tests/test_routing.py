"""The assembled dispatcher runs every filter and handler in the event loop.

aiogram runs a callable that is not a coroutine function (a magic filter such as `F.text`, a bare
`State`, a plain `def` handler) in a worker thread on every check: a hop through the thread pool
for each of the dozen checks an update walks past. bot/filters.py has the in-loop equivalents."""

from bot.app import build_dispatcher
from tests.conftest import make_settings


def test_no_filter_or_handler_runs_in_a_thread(tmp_path):
    dp = build_dispatcher(make_settings(tmp_path))
    threaded = []
    for router in dp.chain_tail:
        for name, observer in router.observers.items():
            handlers = list(getattr(observer, "handlers", []))
            root = getattr(observer, "_handler", None)
            for f in (root.filters or []) if root is not None else []:
                if not f.awaitable:
                    threaded.append(f"{router.name}.{name} router filter {f.callback!r}")
            for handler in handlers:
                where = f"{router.name}.{name} {handler.callback.__name__}"
                if not handler.awaitable:
                    threaded.append(f"{where}: handler")
                threaded += [f"{where}: filter {f.callback!r}" for f in handler.filters or [] if not f.awaitable]
    assert threaded == []
    assert sum(len(getattr(o, "handlers", [])) for r in dp.chain_tail for o in r.observers.values()) > 50
