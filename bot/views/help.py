"""/help for each role, laid out right to left: every command (and its argument) is isolated as a
left-to-right run (U+2066 … U+2069), so `/track CODE` reads in its own order inside a Persian line."""

from __future__ import annotations

from bot.commands import ADMIN, CITIZEN, GROUP_ADMIN, SUPERVISOR
from bot.l10n import L10n, Safe
from bot.views.render import esc

LRI, PDI = "\u2066", "\u2069"  # left-to-right isolate, pop directional isolate


def isolate(text: str) -> str:
    return f"{LRI}{text}{PDI}"


def _lines(l10n: L10n, names) -> list[str]:
    lines = []
    for name in names:
        usage = f"/{name}"
        if l10n.has(f"cmd-args-{name}"):
            usage += " " + l10n.button(f"cmd-args-{name}")
        lines.append(
            l10n("help-line", command=Safe(f"<code>{isolate(esc(usage))}</code>"), text=l10n.button(f"cmd-{name}"))
        )
    return lines


def help_text(l10n: L10n, role: str) -> str:
    """citizen | supervisor | admin (a private chat) or staff (a unit's group)."""
    if role == "staff":
        return "\n".join([l10n("help-staff-title"), *_lines(l10n, GROUP_ADMIN), "", l10n("help-staff-how")])
    parts = [l10n("help-citizen-title"), *_lines(l10n, CITIZEN), l10n("help-citizen-typing")]
    if role in ("admin", "supervisor"):
        extra = [name for name in (ADMIN if role == "admin" else SUPERVISOR) if name not in CITIZEN]
        parts += ["", l10n(f"help-{role}-title"), *_lines(l10n, extra)]
    return "\n".join(parts)
