"""Logging for every process. Logs never carry citizens' personal data: the desk's own lines name
requests by id and chats by id only, aiogram's per-update lines are off (the metrics count them),
and the database drivers' debug lines (every SQL statement with its parameters: names, national IDs,
mobiles) are never emitted, whatever level the rest runs at."""

from __future__ import annotations

import logging

# loggers whose DEBUG lines print SQL parameters or message bodies
QUIET = {"tortoise": logging.INFO, "aiosqlite": logging.INFO, "asyncpg": logging.INFO, "aiogram.event": logging.WARNING}


def configure(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet()


def quiet() -> None:
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(level)
