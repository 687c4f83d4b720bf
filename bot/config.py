"""Settings: bot.toml, overridden by environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

ROOT = Path(__file__).resolve().parent.parent
TELEGRAM_API = "https://api.telegram.org"
KNOWN_PLATFORMS = ("telegram", "bale")


def stated_platform(platform: str, api_url: str, where: str) -> str:
    """The messenger of a bot is stated, never guessed from its URL: without `platform` a bot is a
    Telegram bot only when its API URL is Telegram's own."""
    platform = platform.strip().lower()
    if platform:
        if platform not in KNOWN_PLATFORMS:
            raise ValueError(f"{where}: platform {platform!r} is not one of {', '.join(KNOWN_PLATFORMS)}")
        return platform
    if urlparse(api_url).hostname == urlparse(TELEGRAM_API).hostname:
        return "telegram"
    raise ValueError(
        f"{where}: the bot with API URL {api_url!r} does not say which messenger it is; "
        f'add platform = "telegram" or platform = "bale"'
    )


class BotAccount(BaseModel):
    token: str
    api_url: str = TELEGRAM_API
    platform: str = ""
    # fees paid in the chat: Telegram's payment provider token (from @BotFather), or a Bale wallet
    # token (from Bale's BotFather); empty: the card's payment instructions are shown instead
    payment_token: str = ""

    @model_validator(mode="after")
    def _platform_stated(self) -> BotAccount:
        self.platform = stated_platform(self.platform, self.api_url, "[[bots]]")
        return self


class Database(BaseModel):
    url: str = "sqlite://data/mizban.sqlite3"


class Redis(BaseModel):
    url: str = ""


class Documents(BaseModel):
    dir: Path = Path("data/documents")
    max_size_mb: int = Field(20, ge=1, le=20)


class Calendar(BaseModel):
    timezone: str = "Asia/Tehran"
    weekend: list[int] = [4]
    add_holidays: list[str] = []  # Jalali dates, on top of python-holidays' Iran calendar
    remove_holidays: list[str] = []  # Jalali dates the library lists that the desk works on
    checked_until: str = ""  # Jalali date: an admin checked the official calendar up to here

    def work_calendar(self):
        """The desk's WorkCalendar (desk/holidays.py): the library's holidays with these changes."""
        from desk.holidays import official_calendar

        return official_calendar(
            weekend=self.weekend, add=self.add_holidays, remove=self.remove_holidays, checked_until=self.checked_until
        )


class Outbox(BaseModel):
    global_per_second: float = 30
    private_interval_seconds: float = 1.0
    group_per_minute: float = 20
    max_attempts: int = 12


def _rate(value: str) -> str:
    """A rate as the `limits` library writes it ("20 per 10 seconds", "10/minute"); checked at start."""
    from limits import parse

    parse(value)
    return value


class Limits(BaseModel):
    """What one citizen may do (bounds on abuse; each has a default that a person never reaches)."""

    messages: str = "20 per 10 seconds"  # messages and button presses in private chats; then one polite "wait"
    tracking: str = "10 per minute"  # tracking-code look-ups (guessing codes)
    relay_per_minute: int = Field(6, ge=1)  # a request's conversation messages to its group; the rest batched
    open_requests_per_service: int = Field(3, ge=1)
    complaints_per_request: int = Field(3, ge=1)
    request_storage_mb: float = Field(60, gt=0)  # files of one request (or one form being filled)
    citizen_storage_mb: float = Field(300, gt=0)  # files of one citizen, all requests together

    @field_validator("messages", "tracking")
    @classmethod
    def _parse(cls, v: str) -> str:
        return _rate(v)


class Retention(BaseModel):
    """How long data is kept (days; 0 keeps forever)."""

    outbox_sent_days: int = Field(30, ge=0)  # sent notifications (their rows; the messages stay in the chats)
    closed_request_days: int = Field(365, ge=0)  # documents and personal data of requests closed this long ago
    draft_files_days: int = Field(7, ge=0)  # files of forms left unfinished


class Survey(BaseModel):
    reminder_days: int = 3


class Webhook(BaseModel):
    host: str = "127.0.0.1"  # behind the reverse proxy; "0.0.0.0" only when the process itself faces the network
    port: int = 8080
    path: str = "/webhook"
    base_url: str = ""
    secret: str = ""
    metrics_token: str = ""  # when set, /metrics answers only `Authorization: Bearer TOKEN`


class CatalogCfg(BaseModel):
    dir: Path = Path("catalog")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(toml_file=os.environ.get("BOT_CONFIG", str(ROOT / "bot.toml")), extra="ignore")

    token: str = ""
    api_url: str = TELEGRAM_API
    platform: str = ""
    payment_token: str = ""  # the primary bot's payment provider token
    admins: list[str] = []
    default_language: str = "fa"
    bots: list[BotAccount] = []
    database: Database = Database()
    redis: Redis = Redis()
    documents: Documents = Documents()
    calendar: Calendar = Calendar()
    outbox: Outbox = Outbox()
    survey: Survey = Survey()
    limits: Limits = Limits()
    retention: Retention = Retention()
    webhook: Webhook = Webhook()
    catalog: CatalogCfg = CatalogCfg()

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, v):
        if isinstance(v, (int, str)):
            v = [p for p in str(v).replace(" ", "").split(",") if p]
        return [str(x) for x in v]

    @model_validator(mode="after")
    def _primary_platform_stated(self) -> Settings:
        if self.token:
            self.platform = stated_platform(self.platform, self.api_url, "the primary bot (BOT_TOKEN)")
        return self

    @classmethod
    def settings_customise_sources(
        cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, _FlatEnv(settings_cls), TomlConfigSettingsSource(settings_cls)

    def accounts(self) -> list[BotAccount]:
        """Every bot this deployment serves: the primary one first."""
        primary = (
            [
                BotAccount(
                    token=self.token, api_url=self.api_url, platform=self.platform, payment_token=self.payment_token
                )
            ]
            if self.token
            else []
        )
        return primary + [b for b in self.bots if b.token != self.token]

    def is_admin(self, platform: str, user_id: int) -> bool:
        return str(user_id) in self.admins and platform == "telegram" or f"{platform}:{user_id}" in self.admins

    def resolve(self, path: Path) -> Path:
        return path if path.is_absolute() else ROOT / path


class _FlatEnv(PydanticBaseSettingsSource):
    """The documented environment variables, mapped onto the (partly nested) settings."""

    NAMES = {
        "BOT_TOKEN": ("token",),
        "BOT_API_URL": ("api_url",),
        "BOT_PLATFORM": ("platform",),
        "BOT_PAYMENT_TOKEN": ("payment_token",),
        "BOT_ADMINS": ("admins",),
        "DATABASE_URL": ("database", "url"),
        "REDIS_URL": ("redis", "url"),
        "WEBHOOK_BASE_URL": ("webhook", "base_url"),
        "WEBHOOK_SECRET": ("webhook", "secret"),
        "DOCUMENTS_DIR": ("documents", "dir"),
        "PORT": ("webhook", "port"),
        "WEBHOOK_HOST": ("webhook", "host"),
        "METRICS_TOKEN": ("webhook", "metrics_token"),
    }

    def get_field_value(self, field, field_name):  # pragma: no cover - required by the base class
        return None, field_name, False

    def __call__(self) -> dict:
        out: dict = {}
        for env, path in self.NAMES.items():
            if (value := os.environ.get(env)) is not None:
                node = out
                for key in path[:-1]:
                    node = node.setdefault(key, {})
                node[path[-1]] = value
        return out


def load_settings(**overrides) -> Settings:
    return Settings(**overrides)
