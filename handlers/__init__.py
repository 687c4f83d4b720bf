"""Thin aiogram routers, one module per feature. Order matters: the fallback router is last."""
from aiogram import Router


def routers() -> list[Router]:
    from handlers import catalog, fallback, form, profile, start, tracking

    found = [start.router, profile.router, form.router, *_optional("conversation"), catalog.router, tracking.router,
             *_optional("staff", "admin", "survey", "complaints"), fallback.router]
    for router in found:
        # A router belongs to one dispatcher at a time; tests, restarts and the sandbox build
        # several dispatchers in one process, so the feature routers are detached first.
        router._parent_router = None
    return found


def _optional(*names: str) -> list[Router]:
    """Feature routers that may not exist yet in a given checkout."""
    import importlib

    out = []
    for name in names:
        try:
            out.append(importlib.import_module(f"handlers.{name}").router)
        except ModuleNotFoundError as exc:
            if exc.name != f"handlers.{name}":
                raise
    return out
