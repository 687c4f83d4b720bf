"""The assembled dispatcher runs every filter and handler in the event loop.

aiogram runs a callable that is not a coroutine function (a magic filter such as `F.text`, a bare
`State`, a plain `def` handler) in a worker thread on every check: a hop through the thread pool
for each of the dozen checks an update walks past. bot/filters.py has the in-loop equivalents."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from tests.factories import PDF


class CountingExecutor(ThreadPoolExecutor):
    """The event loop's default executor, where aiogram sends a callable that is not a coroutine
    function (`asyncio.to_thread`): counts what it is given."""

    def __init__(self):
        super().__init__(max_workers=1)
        self.hops: list[str] = []

    def submit(self, fn, /, *args, **kwargs):
        self.hops.append(repr(getattr(fn, "func", fn)))
        return super().submit(fn, *args, **kwargs)


def test_no_handler_or_handler_filter_runs_in_a_thread(desk):
    threaded = []
    for router in desk.dp.chain_tail:
        for name, observer in router.observers.items():
            for handler in observer.handlers:
                where = f"{router.name}.{name} {handler.callback.__name__}"
                if not handler.awaitable:
                    threaded.append(f"{where}: handler")
                threaded += [f"{where}: filter {f.callback!r}" for f in handler.filters or [] if not f.awaitable]
    assert threaded == []
    assert sum(len(o.handlers) for r in desk.dp.chain_tail for o in r.observers.values()) > 50


async def test_updates_that_walk_past_every_router_never_leave_the_event_loop(desk):
    """The routers' own filters (`router.message.filter(...)`) too: updates that no feature takes
    walk past all of them to the fallback, and none is sent to a thread."""
    executor = CountingExecutor()
    loop = asyncio.get_running_loop()
    loop.set_default_executor(executor)
    try:
        user = desk.citizen("Sara")
        await user.send("/start")
        await user.send_document("note.pdf", PDF)  # nothing asked for a file: the fallback answers
        await user.press_data("garbage")  # no feature knows this button: the fallback answers
        group = desk.group(members={user.id: "member"})
        await group.send(user, "hello")  # a group that serves no unit
    finally:
        executor.shutdown()
    assert executor.hops == []
    assert len(user.texts()) == 2  # the welcome, and the fallback's answer to the file
