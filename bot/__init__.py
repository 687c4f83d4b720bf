"""Mizban: the messenger front of the electronic service desk (aiogram assembly).

Importing the package first imports aiogram with its Bot API types built when first used
(bot/lazy_types.py): a bot process answers its first update seconds sooner.

That import creates some 600 classes and what pydantic keeps of them, which live as long as the
process: the garbage collector, woken every few hundred new objects, would go over them again and
again while they pile up (a tenth of the import). It is paused for the import, and what the import
made is set aside from later collections (gc.freeze), as bot/runner.py's settle() does for the
rest of start-up."""

import gc

from bot.lazy_types import import_aiogram_lazily


def _import_aiogram() -> None:
    collecting = gc.isenabled()
    gc.disable()
    try:
        import_aiogram_lazily()
    finally:
        if collecting:
            gc.enable()
    gc.freeze()


_import_aiogram()
