"""Thin aiogram routers, one module per feature. Order matters: the conversation router (a
citizen answering staff) comes before the catalogue's free-text search, the fallback is last.
No handler module imports another: shared screens live in bot/views/, shared steps in bot/flows.py."""

from aiogram import Router

from handlers import (
    admin,
    audit,
    catalog,
    complaints,
    conversation,
    errors,
    fallback,
    form,
    group_health,
    help,
    payments,
    profile,
    staff,
    start,
    survey,
    tracking,
    units,
    walkin,
)

ORDER = (
    errors,
    group_health,  # the messenger's lifecycle first: nothing else may take its service messages
    payments,  # a payment's messages and queries, whatever step the chat is in
    help,
    start,
    walkin,
    profile,
    form,
    conversation,
    catalog,
    tracking,
    units,
    staff,
    admin,
    audit,
    survey,
    complaints,
    fallback,
)


def routers() -> list[Router]:
    """Fresh routers for one dispatcher (a router belongs to one dispatcher: tests, restarts and
    the sandbox build several in one process)."""
    return [module.router.build() for module in ORDER]
