"""Typed callback data for every inline button (Telegram allows 64 bytes)."""

from aiogram.filters.callback_data import CallbackData

from desk.staff import StaffAction


class MenuCb(CallbackData, prefix="m"):
    action: str  # catalog | mine | help | profile | lang | resume


class CatalogCb(CallbackData, prefix="c"):
    agency: str = ""  # empty: the list of agencies
    page: int = 0


class ServiceCb(CallbackData, prefix="s"):
    code: str
    section: str = "main"  # main | stages | documents | laws | faq | fees | complaint | contact | apply


class FormCb(CallbackData, prefix="f"):
    action: str  # back | cancel | discard | keep | skip | pick | toggle | done | yes | no | edit | submit | review
    value: str = ""


class ProfileCb(CallbackData, prefix="p"):
    action: str  # edit | name | national_id | mobile | close


class LangCb(CallbackData, prefix="l"):
    lang: str


class RequestCb(CallbackData, prefix="r"):
    code: str
    action: str = "view"  # view | complain | survey


class MineCb(CallbackData, prefix="mine"):
    page: int = 0


class StaffCb(CallbackData, prefix="st"):
    action: StaffAction
    request: int
    arg: str = ""


class SurveyCb(CallbackData, prefix="sv"):
    request: int
    action: str  # start | rate | pick | back | skip | later
    value: str = ""
    step: int = -1  # the questionnaire step a pick/skip answers (an old button is then harmless)


class ComplaintCb(CallbackData, prefix="cp"):
    complaint: int
    action: str  # answer


class ReplyCb(CallbackData, prefix="rp"):
    request: int  # the citizen answers staff about this request


class SearchCb(CallbackData, prefix="q"):
    page: int  # a page of the last search's matches (the words are kept in the FSM data)
    key: str = ""  # which search: a short checksum of its words (an older search's buttons expire)


class StepCb(CallbackData, prefix="sp"):
    action: str  # back | cancel: of the short step in progress (profile, complaint, message to staff)


class ThreadCb(CallbackData, prefix="th"):
    request: int
    action: str  # write | leave | switch (the citizen); close (staff)
