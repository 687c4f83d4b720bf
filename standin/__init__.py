"""A local stand-in for the Telegram Bot API: tests, end-to-end runs, benchmarks and the sandbox."""

from standin.chats import FakeGroup, FakeUser
from standin.core import Call, Standin
from standin.errors import ApiError, SpecViolation
from standin.spec import ApiSpec
from standin.updates import BotAccount

__all__ = ["ApiError", "ApiSpec", "BotAccount", "Call", "FakeGroup", "FakeUser", "SpecViolation", "Standin"]
