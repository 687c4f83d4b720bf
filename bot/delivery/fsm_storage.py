"""aiogram FSM storage in the desk's own database: a half-filled form survives a restart
without Redis. With Redis configured, aiogram's RedisStorage is used instead (bot/app.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey

from models import FsmRecord
from models.prepared import PreparedSelect

# Read on every update (aiogram's FSM middleware): the query is built once. No cache in front of it:
# a cache saved too little to measure (bench/citizen_bench.py) for a second copy of every form's state.
STATE = PreparedSelect(FsmRecord, only=("state",), key="")


class DatabaseStorage(BaseStorage):
    def __init__(self, key_builder: KeyBuilder | None = None):
        self.key_builder = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)

    def _key(self, key: StorageKey) -> str:
        return self.key_builder.build(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        record = await FsmRecord.get_or_none(key=self._key(key))
        if record is None:
            if value is not None:
                await FsmRecord.create(key=self._key(key), state=value, data={})
        elif value is None and not record.data:
            await record.delete()
        else:
            record.state = value
            await record.save(update_fields=["state", "updated_at"])

    async def get_state(self, key: StorageKey) -> str | None:
        rows = await STATE.rows(self._key(key))
        return rows[0]["state"] if rows else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        record = await FsmRecord.get_or_none(key=self._key(key))
        if record is None:
            if data:
                await FsmRecord.create(key=self._key(key), state=None, data=dict(data))
        elif not data and record.state is None:
            await record.delete()
        else:
            record.data = dict(data)
            await record.save(update_fields=["data", "updated_at"])

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        record = await FsmRecord.get_or_none(key=self._key(key))
        return dict(record.data) if record else {}

    async def close(self) -> None:
        pass
