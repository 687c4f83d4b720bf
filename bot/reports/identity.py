"""A service's identity card (seed 003, the "service identity card form") as a right-to-left XLSX: every field of
the template in its order, then the stage table (electronic or not, channels, reasons). The labels
come through `t(key)` (locales/*/audit.ftl)."""

from __future__ import annotations

from openpyxl import Workbook

from bot.reports.audit import Sheet, T, _save
from desk.catalog import Catalog, ServiceCard


def _join(t: T, parts: list[str]) -> str:
    return t("list-separator").join(p for p in parts if p)


def identity_card(card: ServiceCard, catalog: Catalog, t: T, lang: str, *, digits=str) -> bytes:
    text = lambda value: value.get(lang) if value else ""
    agency = catalog.agencies[card.agency]
    fees = [card.fee, *card.other_fees]
    wb = Workbook()
    wb.remove(wb.active)
    s = Sheet(wb, t("card-sheet"), [46, 90])
    s.row(t("card-caption-1"), bold=True)
    s.row(t("card-caption-2"), bold=True)
    s.row(t("card-title"), text(card.title))
    s.row(t("card-id"), card.registry_id or t("card-id-pending"))
    s.row(t("card-agency"), text(agency.title))
    s.row(t("card-parent"), text(agency.parent))
    s.row(t("card-specs"), bold=True)
    s.row(t("card-description"), text(card.description))
    s.row(t("card-type"), t(f"card-type-{card.type}"))
    s.row(t("card-nature"), t(f"card-nature-{card.nature}"))
    s.row(t("card-level"), t(f"card-level-{card.level}"))
    s.row(t("card-event"), text(card.event))
    s.row(t("card-trigger"), t(f"card-trigger-{card.trigger}"))
    s.row(t("card-documents"), "\n".join(text(d) for d in card.documents) or t("card-none"), wrap=True)
    s.row(t("card-laws"), "\n".join(text(law) for law in card.laws), wrap=True)
    s.row(
        t("card-volume"),
        t("card-volume-value", count=digits(str(card.volume.count)), per=t(f"card-per-{card.volume.per}")),
    )
    s.row(t("card-duration"), t("card-duration-value", days=digits(str(card.duration_days))))
    frequency = card.frequency
    s.row(
        t("card-frequency"),
        t("card-per-ever")
        if frequency.per == "ever"
        else t("card-frequency-value", times=digits(str(frequency.times)), per=t(f"card-per-{frequency.per}")),
    )
    s.row(t("card-visits"), _join(t, [digits(str(card.visits)), text(card.visits_note)]))
    s.row(t("card-fee"), bold=True)
    s.row(t("card-fee-amount"), _join(t, [_join(t, [text(f.title), digits(f"{f.amount:,}")]) for f in fees]))
    s.row(t("card-fee-account"), _join(t, [f.account or "" for f in fees]) or t("card-none"))
    s.row(t("card-fee-epayment"), t("audit-yes") if any(f.epayment for f in fees) else t("audit-no"))
    s.row(t("card-access"), bold=True)
    s.row(t("card-web"), card.web or t("card-none"))
    s.row(t("card-system"), text(card.system_name) or t("card-none"))
    s.row(t("card-phone"), _join(t, [card.phone or "", card.call_center or ""]) or t("card-none"))
    s.row(t("card-inquiries"), _join(t, [text(i) for i in card.inquiries]) or t("card-none"))
    s.gap()
    stages = Sheet(wb, t("card-stages"), [40, 18, 60])
    stages.row(t("card-stages"), t("card-mode"), t("card-media"), bold=True)
    for stage in card.stages:
        if stage.electronic:
            how = _join(t, [t(f"card-channel-{c}") for c in stage.channel] + [text(stage.note)])
        else:
            how = _join(t, [t(f"card-why-{stage.reason_not_electronic}"), text(stage.note)])
        stages.row(
            text(stage.title), t("card-electronic") if stage.electronic else t("card-not-electronic"), how, wrap=True
        )
    return _save(wb)
