"""What the audit counts (seed 002, appendix 2 and 3): which services, where they are delivered
and the ratios of §1. The workbook itself is bot/reports/audit.py."""

from __future__ import annotations

from desk.catalog import Catalog, ServiceCard

PLACES = ("in_person", "edesk", "both", "outside")  # columns b, c, d, e of §1
PUBLISHED = ("stages", "documents", "laws", "duration", "fees", "complaint", "responsible", "faq")  # §3 order
ANNOUNCED = ("website", "signboard", "phone")
EDESK = ("upload", "form", "delivery", "tracking_code", "stage_tracking", "notifications", "survey")  # §5 order


def audited(catalog: Catalog) -> list[ServiceCard]:
    """The services the audit counts: those to citizens and businesses (G2C, G2B), by agency and code."""
    return sorted((c for c in catalog.services.values() if c.type in ("G2C", "G2B")), key=lambda c: (c.agency, c.code))


def place_counts(cards: list[ServiceCard]) -> dict[str, int]:
    """a (all) and b..e (per place of delivery) of §1."""
    counts = {"a": len(cards)} | {letter: 0 for letter in "bcde"}
    for card in cards:
        counts["bcde"[PLACES.index(card.delivery)]] += 1
    return counts


def ratios(counts: dict[str, int]) -> tuple[float | None, float | None]:
    """b/a (in-person share) and (c+d)/a (electronic share)."""
    if not counts["a"]:
        return None, None
    return counts["b"] / counts["a"], (counts["c"] + counts["d"]) / counts["a"]
