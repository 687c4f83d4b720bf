"""The questionnaire through the real dispatcher: one message edited in place, Back, leave and
resume, owner only, the profile offered again, one questionnaire per request, one reminder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tortoise.transactions import in_transaction

from bot.callbacks import SurveyCb
from desk import survey, tracking
from desk.text import fa_digits
from models import Citizen, OutboxMessage, SurveyAnswer, SurveyResponse
from tests.factories import DATA, FAST, TEST_CATALOG, closed_request

pytestmark = pytest.mark.both_platforms  # on Telegram and on Bale (tests/conftest.py)


@pytest.fixture
async def desk(make_desk):
    return await make_desk(catalog={"dir": str(TEST_CATALOG)}, outbox=FAST)


async def invited(desk, name: str = "Sara"):
    user = desk.citizen(name)
    await user.send("/start")
    citizen = await Citizen.get(user_id=user.id)
    request = await closed_request(citizen)
    await desk.deliver_outbox()
    return user, citizen, request


def test_form_data_matches_the_seed():
    form = survey.load_form()
    assert len(form.items) == 16 and len(form.axis) == 6
    assert [len(a.items) for a in form.axis] == [3, 3, 3, 2, 3, 2]
    assert [level.score for level in form.scale] == [4, 3, 2, 1]
    assert form.title.fa == "پرسشنامه سنجش رضایت ارباب رجوع از خدمات"
    assert [q.key for q in form.respondent] == ["gender", "age", "education", "occupation", "visits"]
    assert all(item.text.en for item, _ in form.items)
    text = (DATA / "satisfaction-questionnaire.txt").read_text("utf-8")  # the official form, verbatim
    for item, axis in form.items:
        assert item.text.fa in text and axis.title.fa in text, item.number
    assert form.intro.fa in text and form.suggestion.fa in text


async def test_invitation_once_per_request(desk):
    user, citizen, request = await invited(desk)
    async with in_transaction():
        await survey.on_request_closed(request)
    assert await SurveyResponse.filter(request=request).count() == 1
    assert await OutboxMessage.filter(method="survey-invite").count() == 1
    assert "پایان رسید" in user.last["plain"]
    assert fa_digits(tracking.format_code(request.tracking_code)) in user.last["plain"]
    assert ["⭐️ شروع نظرسنجی"] in user.keyboard()


async def test_questionnaire_edited_in_place_with_back_and_resume(desk):
    user, citizen, request = await invited(desk)
    invitation = user.last["message_id"]
    await user.press("شروع نظرسنجی")
    assert user.last["message_id"] == invitation  # the same message, edited
    assert "جنسیت:" in user.last["plain"] and "شهروند گرامی" in user.last["plain"]
    assert "مرحلهٔ ۱ از ۲۲" in user.last["plain"]
    await user.press("مرد")
    assert "سن:" in user.last["plain"]
    await user.press("قبلی")
    assert "جنسیت:" in user.last["plain"] and ["✅ مرد", "زن"] in user.keyboard()
    await user.press("زن")
    await user.press("۳۵ تا ۴۴ سال")
    await user.press("کارشناسی")
    await user.press("ترجیح می‌دهم نگویم")  # occupation skipped
    await user.press("۲")
    assert "پرسش ۱ از ۱۶" in user.last["plain"] and "نحوه اطلاع رسانی درباره مراحل انجام کار" in user.last["plain"]
    assert "شفافیت فرایندی" in user.last["plain"]
    assert user.keyboard()[0] == ["خیلی زیاد", "زیاد", "متوسط", "کم"]
    await user.press("خیلی زیاد")  # item 1 -> 4
    await user.press("کم")  # item 2 -> 1
    await user.press("قبلی")
    assert "پرسش ۲ از ۱۶" in user.last["plain"] and "✅ کم" in user.keyboard()[0]
    await user.press("متوسط")  # item 2 -> 2 (changed)
    await user.press("بعداً")
    assert "نیمه‌کاره" in user.last["plain"] and user.last["message_id"] == invitation
    assert len(user.messages) == 1 + 1  # the /start menu and the questionnaire, nothing else
    response = await SurveyResponse.get(request=request)
    assert response.step == 7 and response.completed_at is None
    assert response.respondent == {
        "gender": "female",
        "age": "35-44",
        "education": "bachelor",
        "occupation": None,
        "visits": "2",
    }

    # resumed from the request's tracking view, after a restart
    await desk.restart()
    await user.send(f"/track {request.tracking_code}")
    view = user.last["message_id"]
    await user.press("نظرسنجی")
    assert user.last["message_id"] == view and "پرسش ۳ از ۱۶" in user.last["plain"]
    for _ in range(14):
        await user.press("زیاد")
    assert "پیشنهاد" in user.last["plain"] and "مرقوم فرمایید" in user.last["plain"]
    await user.send("<b>صف</b> طولانی بود & کند")
    assert "سپاسگزاریم" in user.messages[-1]["plain"] and user.messages[-1]["message_id"] == view
    response = await SurveyResponse.get(request=request)
    assert response.completed_at is not None and response.suggestion == "<b>صف</b> طولانی بود & کند"
    scores = dict(await SurveyAnswer.filter(response=response).values_list("item", "score"))
    assert scores == {1: 4, 2: 2, **{i: 3 for i in range(3, 17)}}
    assert set(await SurveyAnswer.filter(response=response, item__in=[15, 16]).values_list("axis", flat=True)) == {
        "overall"
    }
    citizen = await Citizen.get(id=citizen.id)
    assert (citizen.gender, citizen.age_group, citizen.education, citizen.occupation) == (
        "female",
        "35-44",
        "bachelor",
        None,
    )
    # a completed questionnaire cannot be answered again
    await user.press_data(SurveyCb(request=request.id, action="pick", value="1", step=5).pack(), message=view)
    assert await SurveyAnswer.get(response=response, item=1).values_list("score", flat=True) == 4


async def test_profile_offered_in_the_next_questionnaire(desk):
    user, citizen, request = await invited(desk)
    citizen.gender, citizen.age_group = "male", "60+"
    await citizen.save()
    await user.press("شروع نظرسنجی")
    assert ["✅ مرد", "زن"] in user.keyboard() and "پاسخ قبلی" in user.last["plain"]
    await user.press("✅ مرد")
    assert "✅ ۶۰ سال و بیشتر" in str(user.keyboard())


async def test_only_the_owner_answers(desk):
    owner, citizen, request = await invited(desk)
    stranger = desk.citizen("Mallory")
    await stranger.send("/start")
    forged = SurveyCb(request=request.id, action="pick", value="male", step=0).pack()
    answer = await stranger.press_data(forged)
    missing = await stranger.press_data(SurveyCb(request=999999, action="pick", value="male", step=0).pack())
    assert answer["text"] == missing["text"] == "نظرسنجی‌ای برای این درخواست پیدا نشد."
    response = await SurveyResponse.get(request=request)
    assert response.step == 0 and response.respondent == {}
    # nor can the owner rate a request still open
    open_request = await closed_request(citizen, status="in_progress")
    answer = await owner.press_data(SurveyCb(request=open_request.id, action="start").pack())
    assert answer["text"] == missing["text"]


async def test_stale_button_shows_the_current_step(desk):
    user, citizen, request = await invited(desk)
    await user.press("شروع نظرسنجی")
    await user.press("مرد")
    answer = await user.press_data(SurveyCb(request=request.id, action="pick", value="female", step=0).pack())
    assert "مرحلهٔ دیگری" in answer["text"] and "سن:" in user.last["plain"]
    assert (await SurveyResponse.get(request=request)).respondent == {"gender": "male"}


async def test_one_reminder(desk):
    user, citizen, request = await invited(desk)
    done_citizen = await Citizen.create(platform=desk.platform, user_id=777, chat_id=777)
    done = await closed_request(done_citizen)
    await SurveyResponse.filter(request=done).update(completed_at=datetime.now(UTC))
    now = datetime.now(UTC)
    assert await survey.send_reminders(desk.settings, now + timedelta(days=2)) == 0
    assert await survey.send_reminders(desk.settings, now + timedelta(days=3, minutes=1)) == 1
    assert await survey.send_reminders(desk.settings, now + timedelta(days=9)) == 0
    await desk.deliver_outbox()
    assert "یادآوری" in user.last["plain"] and ["⭐️ شروع نظرسنجی"] in user.keyboard()
    assert await OutboxMessage.filter(method="survey-remind").count() == 1
    await user.press("شروع نظرسنجی")
    assert "جنسیت:" in user.last["plain"]


async def test_english_questionnaire(desk):
    user = desk.citizen("John", language_code="en")
    await user.send("/start")
    citizen = await Citizen.get(user_id=user.id)
    citizen.language = "en"  # chosen with /lang: the outbox renders in it
    await citizen.save()
    await closed_request(citizen, status="rejected")
    await desk.deliver_outbox()
    await user.press("Start the survey")
    assert "Gender:" in user.last["plain"] and "Step 1 of 22" in user.last["plain"]
