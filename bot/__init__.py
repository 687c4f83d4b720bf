"""Mizban: the messenger front of the electronic service desk (aiogram assembly).

Importing the package first imports aiogram with its Bot API types built when first used
(bot/lazy_types.py): a bot process answers its first update seconds sooner."""

from bot.lazy_types import import_aiogram_lazily

import_aiogram_lazily()
