# کارکنان در گروه واحدها: کارت درخواست، اقدام‌ها، گفت‌وگو با شهروند، سررسیدها؛ و اعلان‌های شهروند

## کارت درخواست
staff-card =
    🗂 <b>درخواست { $code }</b>
    خدمت: { $service }
    وضعیت: <b>{ $status }</b> · مرحله: { $stage }
    کارشناس: { $assignee }
    ثبت: { $submitted } · موعد پاسخ: { $promised }{ $overdue ->
        [yes] {" "}⚠️ <b>موعد گذشته</b>
       *[no] {""}
    }
    متقاضی: { $citizen } · کد ملی: { $national_id } · همراه: { $mobile }
staff-card-thread-open = 💬 گفت‌وگو باز است: پیام‌های متقاضی اینجا می‌آید
staff-card-thread-left = 💬 گفت‌وگو باز است؛ متقاضی از آن بیرون رفته است (تا برنگردد، پیام‌هایش اینجا نمی‌آید)
staff-card-answers = <b>پاسخ‌های فرم</b>
staff-card-result = <b>نتیجه:</b> { $text }
staff-card-rejected = <b>دلیل رد:</b> { $reason }
staff-card-history = <b>سابقه</b>
staff-card-moved = ↪️ این درخواست اکنون در اختیار «{ $unit }» است؛ این کارت دیگر به‌روز نمی‌شود.
staff-card-files = 📎 مدارک درخواست { $code }
staff-nobody = هنوز کسی برنداشته

staff-event-submitted = ثبت درخواست
staff-event-taken = برداشتن درخواست
staff-event-stage = رفتن به مرحله
staff-event-question = پرسش از متقاضی
staff-event-inquiry = استعلام
staff-event-inquiry_answered = پاسخ استعلام
staff-event-result = تحویل نتیجه
staff-event-rejected = رد درخواست
staff-event-note = یادداشت داخلی
staff-event-transferred = ارجاع به واحد دیگر
staff-event-staff_message = پیام به متقاضی
staff-event-citizen_message = پیام متقاضی

staff-btn-take = 🙋 برمی‌دارم
staff-btn-stage = ⏭ مرحلهٔ بعد: { $stage }
staff-btn-ask = ❓ پرسش از متقاضی
staff-btn-inquiry = 🏛 ثبت استعلام
staff-btn-inquiry-done = ✅ پاسخ استعلام رسید
staff-btn-deliver = 📤 تحویل نتیجه
staff-btn-reject = ⛔️ رد درخواست
staff-btn-note = 📝 یادداشت داخلی
staff-btn-transfer = ↪️ ارجاع به واحد دیگر
staff-btn-refresh = 🔄 به‌روزرسانی
staff-btn-docs = 📎 مدارک ({ $count })
staff-btn-back = ↩️ بازگشت
staff-btn-send = ✅ ارسال نتیجه
staff-btn-cancel = ✖️ انصراف

## گفت‌وگو و سررسید در گروه
staff-citizen-says = 💬 پیام { $name } دربارهٔ درخواست { $code }:
staff-due-soon = ⏰ موعد پاسخ درخواست { $code } ({ $service }) یک روز کاری دیگر است: { $promised }. کارشناس: { $assignee }
staff-due-overdue = ❗️ موعد پاسخ درخواست { $code } ({ $service }) گذشته است: { $promised }. کارشناس: { $assignee }

## پاسخ به کارکنان
staff-denied = شما اجازهٔ این کار را ندارید: این درخواست به واحد شما مربوط نیست یا عضو گروه آن واحد نیستید.
staff-taken-by = این درخواست را { $name } برداشته است.
staff-taken-ok = درخواست به نام شما ثبت شد.
staff-stage-ok = درخواست به مرحلهٔ بعد رفت و به متقاضی خبر داده شد.
staff-transfer-ok = درخواست ارجاع شد.
staff-outcome-already = این کار پیش‌تر انجام شده است؛ کارت به‌روز شد.
staff-outcome-closed = این درخواست بسته شده است.
staff-outcome-taken = این درخواست را کس دیگری برداشته است.
staff-outcome-same-unit = درخواست همین حالا در این واحد است.
staff-outcome-no-stage = این مرحله در گردش کار این خدمت نیست.
staff-docs-sent = مدارک به گفت‌وگوی خصوصی شما با ربات فرستاده می‌شود.
staff-docs-start = مدارک به گفت‌وگوی خصوصی شما با ربات فرستاده می‌شود: آن را باز کنید، «شروع» را بزنید و دوباره این دکمه را بزنید.
staff-cancelled = لغو شد.
staff-ask-question = { $name }، پرسش خود از متقاضی درخواست { $code } را بنویسید (در پاسخ به همین پیام):
staff-ask-inquiry-to = { $name }، استعلام درخواست { $code } از کدام دستگاه است؟
staff-ask-inquiry-what = موضوع استعلام چیست؟
staff-ask-inquiry-answer = { $name }، خلاصهٔ پاسخ استعلام درخواست { $code } را بنویسید:
staff-ask-reason = { $name }، دلیل رد درخواست { $code } را بنویسید؛ برای متقاضی فرستاده می‌شود:
staff-ask-note = { $name }، یادداشت داخلی درخواست { $code } را بنویسید (به متقاضی نشان داده نمی‌شود):
staff-ask-result = { $name }، متن نتیجه و/یا فایل‌های نتیجهٔ درخواست { $code } را بفرستید و سپس «ارسال نتیجه» را بزنید:
staff-result-collected = دریافت شد: { $files } فایل و { $texts } متن تا اینجا. اگر تمام است «ارسال نتیجه» را بزنید.
staff-result-empty = هنوز متن یا فایلی برای نتیجه نفرستاده‌اید.
staff-text-only = لطفاً متن بنویسید.
staff-ask-ok = پرسش برای متقاضی فرستاده شد.
staff-inquiry-ok = استعلام ثبت شد و به متقاضی خبر داده شد.
staff-inquiry_done-ok = پاسخ استعلام ثبت شد.
staff-reject-ok = درخواست رد شد و دلیل آن برای متقاضی فرستاده شد.
staff-note-ok = یادداشت ثبت شد.
staff-deliver-ok = نتیجه برای متقاضی فرستاده شد.
staff-message-sent = پیام برای متقاضی فرستاده شد.

## دستورهای مدیر
staff-admins-only = این دستور فقط برای مدیران است.
unit-bind-usage = کد واحد را بنویسید، مثلاً <code>/bind tm-district-6</code>. واحدها:
unit-bound = ✅ این گروه به «{ $unit }» ({ $code }) وصل شد و درخواست‌های آن اینجا می‌آید.{ $moved ->
    [yes] {" "}گروه قبلی این واحد دیگر درخواستی دریافت نمی‌کند.
   *[no] {""}
}{ $any_cards ->
    [yes] {" "}کارت { $cards } درخواست باز فرستاده می‌شود.
   *[no] {""}
}
unit-unbound = اتصال این گروه به { $units } برداشته شد.
unit-not-bound = این گروه به هیچ واحدی وصل نیست.
staff-role-usage = شیوهٔ نوشتن: <code>/grant USER_ID admin</code> یا <code>/grant USER_ID supervisor UNIT_CODE</code> یا برای ارزیاب استان <code>/grant USER_ID evaluator استان</code> (و همین‌طور /revoke).
staff-granted = نقش { $role } ({ $unit }) به { $user } داده شد.
staff-revoked = نقش { $role } ({ $unit }) از { $user } گرفته شد.
staff-role-none = { $user } نقش { $role } ({ $unit }) را نداشت.
staff-overdue-none = درخواستی نزدیک به موعد یا گذشته از موعد نیست.
staff-overdue-title = <b>درخواست‌های نزدیک به موعد و گذشته از موعد</b>
staff-overdue-late = ❗️ { $code } — { $service } — موعد { $promised } ({ $days } روز کاری گذشته) — { $assignee }
staff-overdue-soon = ⏰ { $code } — { $service } — موعد { $promised } — { $assignee }

## اعلان‌های شهروند
notify-taken = 🔎 درخواست { $code } ({ $service }) به دست کارشناس رسید و در حال رسیدگی است.
notify-stage = ⏭ درخواست { $code } ({ $service }) به مرحلهٔ «{ $stage }» رسید.
notify-question =
    ❓ کارشناس دربارهٔ درخواست { $code } ({ $service }) پرسیده است:
    { $text }

    برای پاسخ، دکمهٔ «پاسخ به کارشناس» را بزنید یا همین‌جا بنویسید.
notify-inquiry = 🏛 برای درخواست { $code } ({ $service }) از «{ $to }» استعلام شد: { $what }. پس از رسیدن پاسخ، کار ادامه می‌یابد.
notify-inquiry_answered = 🏛 پاسخ استعلام درخواست { $code } ({ $service }) رسید و رسیدگی ادامه دارد.
notify-result =
    ✅ نتیجهٔ درخواست { $code } ({ $service }):
    { $text }
notify-result-empty = ✅ درخواست { $code } ({ $service }) پاسخ داده شد؛ فایل‌های نتیجه در ادامه می‌آید.
notify-result-files = 📎 فایل نتیجهٔ درخواست { $code }
notify-rejected =
    ⛔️ درخواست { $code } ({ $service }) رد شد.
    دلیل: { $text }
notify-transferred = ↪️ درخواست { $code } ({ $service }) برای رسیدگی به «{ $unit }» ارجاع شد.
notify-staff_message = 💬 پیام کارشناس دربارهٔ درخواست { $code } ({ $service }):
notify-btn-reply = ✍️ پاسخ به کارشناس
notify-reply-prompt = پاسخ خود دربارهٔ درخواست { $code } را بنویسید یا فایل و عکس بفرستید:
notify-reply-sent = ✅ پیام شما برای کارشناس درخواست { $code } فرستاده شد.
notify-reply-closed = این درخواست بسته شده است و پیامی برای آن فرستاده نمی‌شود.
notify-reply-kinds = فقط متن، فایل یا عکس فرستاده می‌شود.

## A request's status on its card, as staff read it (whose turn it is).
staff-status-submitted = تازه رسیده؛ هنوز کسی برنداشته
staff-status-in_progress = در حال رسیدگی
staff-status-waiting_citizen = منتظر پاسخ شهروند
staff-status-waiting_inquiry = منتظر پاسخ استعلام
staff-status-answered = پاسخ داده شده
staff-status-rejected = رد شده
staff-prompt-not-yours = این پرسش از شما نیست یا پیش‌تر بسته شده است.
staff-btn-repost = 🔁 کارت { $code }
staff-reposted = کارت دوباره در پایین گروه فرستاده شد.
staff-repost-no-group = این واحد گروهی ندارد که کارت در آن فرستاده شود.
staff-repost-usage = شیوهٔ نوشتن: <code>/repost کد رهگیری</code> — کارت درخواستی از واحدهای همین گروه دوباره در پایین گروه فرستاده می‌شود.
staff-card-reposted-below = کارت درخواست { $code } دوباره در پایین گروه فرستاده شد؛ از آن کارت استفاده کنید.
## پایان گفت‌وگو
thread-close = ✖️ بستن گفت‌وگو
thread-closed-ok = گفت‌وگو بسته شد؛ پیام‌های متقاضی دیگر اینجا نمی‌آید.
thread-closed-already = این گفت‌وگو پیش‌تر بسته شده است.
staff-event-conversation_closed = بستن گفت‌وگو
notify-conversation_closed = 💬 کارشناس گفت‌وگوی درخواست { $code } ({ $service }) را بست؛ پیام‌های بعدی شما به او نمی‌رسد. برای نوشتن دوباره، «نوشتن دربارهٔ این درخواست» را در صفحهٔ درخواست بزنید.
