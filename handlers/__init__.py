"""Thin aiogram routers, one module per feature. Order matters: the conversation router (a
citizen answering staff) comes before the catalogue's free-text search, the fallback is last."""

from aiogram import Router


def routers() -> list[Router]:
    from handlers import (
        admin,
        catalog,
        complaints,
        conversation,
        fallback,
        form,
        profile,
        staff,
        start,
        survey,
        tracking,
    )

    found = [
        start.router,
        profile.router,
        form.router,
        conversation.router,
        catalog.router,
        tracking.router,
        staff.router,
        admin.router,
        survey.router,
        complaints.router,
        fallback.router,
    ]
    for router in found:
        # A router belongs to one dispatcher at a time; tests, restarts and the sandbox build
        # several dispatchers in one process, so the feature routers are detached first.
        router._parent_router = None
    return found
