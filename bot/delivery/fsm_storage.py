"""aiogram FSM storage in the desk's own database: a half-filled form survives a restart
without Redis. With Redis configured, aiogram's RedisStorage is used instead (bot/app.py).

A form's state and its data are written together (`OneWrite`, for both storages): while an update
is handled (`WritesAtTheEnd`, a dispatcher middleware), set_state and set_data are kept aside, read
back from there, and written once when the handler is done, in one statement (one row here, a
MULTI in Redis). A process killed between a handler's set_state and its set_data would otherwise
leave a state without its data ("Continue my form" answering "no form is in progress").

The update is recorded as processed (bot/delivery/dedupe.py) in that same write, when it was handled
without an error: a process killed after the write and before any later record would otherwise
handle the update again after a restart (a webhook delivered again, or a polled update still in the
inbox) with the new state, and take a citizen's answer to one question for the next one's."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, cast

from aiogram import BaseMiddleware
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from tortoise.transactions import in_transaction

from models import FsmRecord, ProcessedUpdate
from models.prepared import PreparedSelect

# Read on every update (aiogram's FSM middleware): the query is built once. No cache in front of it:
# a cache saved too little to measure (bench/citizen_bench.py) for a second copy of every form's state.
STATE = PreparedSelect(FsmRecord, only=("state",), key="")


_WRITES: ContextVar[dict | None] = ContextVar("fsm_writes", default=None)


def pending_writes() -> bool:
    """Whether the update being handled has state or data changes still to write (then its
    processed record goes with them: WritesAtTheEnd)."""
    return bool(_WRITES.get())


class OneWrite:
    """A storage mixin: within WritesAtTheEnd, state and data changes wait and go in one write. The
    storage has `write(key, changes)`: a key's state and/or data ("state", "data") written at once."""

    if TYPE_CHECKING:  # the storage's own, declared here for the type checker, defined there

        async def write(self, key: StorageKey, changes: dict) -> None: ...

        async def write_all(self, writes: dict[StorageKey, dict], processed: tuple[int, int] | None) -> None: ...

    def _storage(self) -> BaseStorage:
        """The storage after this mixin (RowStorage, RedisStorage): its own reads and writes."""
        return cast(BaseStorage, super())

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        writes = _WRITES.get()
        if writes is None:
            return await self._storage().set_state(key, state)
        writes.setdefault(key, {})["state"] = state.state if isinstance(state, State) else state

    async def get_state(self, key: StorageKey) -> str | None:
        writes = _WRITES.get()
        if writes and "state" in writes.get(key, {}):
            return writes[key]["state"]
        return await self._storage().get_state(key)

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        writes = _WRITES.get()
        if writes is None:
            return await self._storage().set_data(key, data)
        writes.setdefault(key, {})["data"] = dict(data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        writes = _WRITES.get()
        if writes and "data" in writes.get(key, {}):
            return dict(writes[key]["data"])
        return await self._storage().get_data(key)


class WritesAtTheEnd(BaseMiddleware):
    """`dp.update.outer_middleware(WritesAtTheEnd())`, inside aiogram's FSM middleware (its chat lock).
    A handled update's writes carry its processed record; a failed one's are written without it."""

    async def __call__(self, handler, event, data: dict[str, Any]) -> Any:
        storage = data.get("fsm_storage")
        if not isinstance(storage, OneWrite):
            return await handler(event, data)
        writes: dict = {}
        token = _WRITES.set(writes)
        processed = None
        try:
            result = await handler(event, data)
            processed = (data["bot"].id, event.update_id)
            return result
        finally:
            _WRITES.reset(token)
            if writes:
                await storage.write_all(writes, processed)


class RowStorage(BaseStorage):
    """One row per key (FsmRecord): the state and the data side by side."""

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

    async def write(self, key: StorageKey, changes: dict) -> None:
        record = await FsmRecord.get_or_none(key=self._key(key))
        state = changes.get("state", record.state if record else None)
        data = changes.get("data", record.data if record else {})
        if record is None:
            if state is not None or data:
                await FsmRecord.create(key=self._key(key), state=state, data=dict(data))
        elif state is None and not data:
            await record.delete()
        else:
            record.state, record.data = state, dict(data)
            await record.save(update_fields=["state", "data", "updated_at"])

    async def write_all(self, writes: dict[StorageKey, dict], processed: tuple[int, int] | None) -> None:
        """Every key's changes and the update's processed record, in one transaction."""
        async with in_transaction():
            for key, changes in writes.items():
                await self.write(key, changes)
            if processed:
                await ProcessedUpdate.bulk_create(
                    [ProcessedUpdate(bot_id=processed[0], update_id=processed[1])], ignore_conflicts=True
                )

    async def close(self) -> None:
        pass


class DatabaseStorage(OneWrite, RowStorage):
    """The desk's database storage, its state and data written together."""
