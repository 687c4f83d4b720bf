"""The citizen's profile as they see it."""

from bot.l10n import L10n
from models import Citizen


def profile_text(l10n: L10n, citizen: Citizen) -> str:
    missing = l10n("profile-missing")
    return l10n(
        "profile-view",
        name=citizen.full_name or missing,
        national_id=l10n.digits(citizen.national_id) if citizen.national_id else missing,
        mobile=l10n.digits(citizen.mobile) if citizen.mobile else missing,
    )
