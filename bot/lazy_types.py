"""aiogram's Bot API types built when first used, not all at import.

`import aiogram` builds the pydantic validators of all of the Bot API's ~460 types and methods
(aiogram/types/__init__.py calls `model_rebuild` on each): about 4.5 s of a 6 s import on a 2-core
machine, before a bot can answer anything, although a desk handles a few dozen of them. Pydantic can
build a model's validator on its first use instead (a model it could not complete at class creation
gets a stand-in validator that completes the model when touched); what it lacks for aiogram's models
is the namespace their forward references resolve in, which aiogram hands only to that
`model_rebuild` loop. So, while `aiogram.types` is imported, `model_rebuild` only records that
namespace, and every aiogram model gets it as its parent namespace (the namespace
pydantic's own rebuild reads). The first update then costs about 0.15 s more (Update, Message and
what they hold), each later new type a few milliseconds.

A type built only inside another (Message inside `Response[list[Update]]`, the answer model of
getUpdates) is not built for itself, and the next model that holds it builds it again: Message, in
nearly every update and answer, would be built three times before the first answer. So the answer
model of a method is made after the types its result holds, Message first (`build_for`): each is
then built once and reused by the models made after it.

pydantic's `defer_build` setting alone does not do it: aiogram's explicit `model_rebuild` calls
ignore it. With the calls recorded, it still matters: the models pydantic could complete at class
creation (a third of them: methods with plain fields, the `TelegramMethod[...]` generics) would be
built then; during the import pydantic's base configuration says `defer_build`, which every aiogram
class's configuration starts from, and they wait too (a tenth of the import). If the versions in use ever make this impossible (the attribute is gone, aiogram already imported),
the import happens as usual: slower, never wrong. tests/test_lazy_types.py reads sample updates this way
and builds every type and method."""

from __future__ import annotations

import logging
import sys
import typing
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

log = logging.getLogger(__name__)
LAZY = False  # whether this process imported aiogram this way


def _aiogram_models(root: type) -> list[type]:
    seen: list[type] = []
    stack: list[type] = [root]
    while stack:
        sub: type
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.append(sub)
                stack.append(sub)
    return [m for m in seen if m.__module__.startswith("aiogram.")]


def import_aiogram_lazily() -> bool:
    """Import aiogram with its types built on first use; False when it was imported the usual way."""
    if "aiogram.types" in sys.modules:
        return False
    from pydantic import BaseModel

    rebuild = BaseModel.__dict__["model_rebuild"]
    namespace: dict[str, Any] = {}

    def record(cls: type, *args: Any, _types_namespace: Any = None, **kwargs: Any) -> None:
        namespace.update(_types_namespace or {})

    config = BaseModel.model_config
    BaseModel.model_rebuild = classmethod(record)  # type: ignore[method-assign,assignment]
    # the models pydantic could complete at once wait as well (a class's configuration starts from its bases')
    BaseModel.model_config = {**config, "defer_build": True}
    try:
        import aiogram.types
    finally:
        BaseModel.model_rebuild = rebuild  # type: ignore[method-assign]
        BaseModel.model_config = config
    import aiogram.methods  # noqa: F401  (already imported by the types; named for clarity)

    if not namespace:  # aiogram built its types some other way: nothing was left for later
        return False
    # the incomplete ones, and generic ones whose parametrisations (the session's Response[Message])
    # are made later and inherit the namespace
    models = _aiogram_models(BaseModel)
    if not hasattr(BaseModel, "__pydantic_parent_namespace__"):
        log.warning("pydantic cannot build aiogram's types lazily; building them all now")
        for model in models:
            if not getattr(model, "__pydantic_complete__", True):
                model.model_rebuild(_types_namespace=namespace)  # type: ignore[attr-defined]
        return False
    for model in models:
        model.__pydantic_parent_namespace__ = namespace  # type: ignore[attr-defined]
    global LAZY
    LAZY = True
    return True


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]


def build_for(annotation: Any) -> None:
    """Build Message and the Bot API types a value of this type holds (`list[Update]`: Update), if
    they wait to be built: a model made next that holds them reuses them instead of building them again."""
    if not LAZY:
        return
    from aiogram.types import Message

    models: list[type[BaseModel]] = [Message, *_models_in(annotation)]
    for model in models:
        if not model.__pydantic_complete__:
            model.model_rebuild()
