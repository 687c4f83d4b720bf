"""A router's recipe: handler modules register their handlers once, at import, on a `Routes`
(with the same decorators as an aiogram Router), and every dispatcher gets fresh Routers built
from it (`build()`). An aiogram Router belongs to one dispatcher for good; tests, the sandbox and
restarts build several dispatchers in one process.

    router = Routes("start")
    router.message.filter(PrivateChat())

    @router.message(CommandStart())
    async def start(message: Message, ...): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Router


class _Observer:
    """Records what is registered on one kind of update (message, callback_query, errors...)."""

    def __init__(self, steps: list, event: str):
        self._steps, self._event = steps, event

    def __call__(self, *filters: Any, **kwargs: Any) -> Callable:
        def register(callback: Callable) -> Callable:
            self._steps.append(("register", self._event, callback, filters, kwargs))
            return callback

        return register

    def register(self, callback: Callable, *filters: Any, **kwargs: Any) -> Callable:
        self._steps.append(("register", self._event, callback, filters, kwargs))
        return callback

    def filter(self, *filters: Any) -> None:
        """Filters every handler of this kind of update must pass (as `Router.<event>.filter`)."""
        self._steps.append(("filter", self._event, None, filters, {}))

    def middleware(self, middleware: Any) -> None:
        self._steps.append(("middleware", self._event, middleware, (), {}))


class Routes:
    def __init__(self, name: str):
        self.name = name
        self._steps: list = []
        self._children: list[Routes] = []
        self.message = _Observer(self._steps, "message")
        self.edited_message = _Observer(self._steps, "edited_message")
        self.callback_query = _Observer(self._steps, "callback_query")
        self.my_chat_member = _Observer(self._steps, "my_chat_member")
        self.pre_checkout_query = _Observer(self._steps, "pre_checkout_query")
        self.chat_member = _Observer(self._steps, "chat_member")
        self.errors = _Observer(self._steps, "error")

    def include(self, child: Routes) -> Routes:
        """A sub-recipe, built inside this one (its filters apply to its handlers only)."""
        self._children.append(child)
        return child

    def build(self) -> Router:
        router = Router(name=self.name)
        for step, event, obj, filters, kwargs in self._steps:
            observer = router.observers[event]
            if step == "register":
                observer.register(obj, *filters, **kwargs)
            elif step == "filter":
                observer.filter(*filters)
            else:
                observer.middleware(obj)
        for child in self._children:
            router.include_router(child.build())
        return router
