## Admin reports: /stats, /chart, /export, /audit.

admin-not-allowed = این فرمان فقط برای مدیران (و سرپرستان، برای واحد خودشان) است.
admin-private-only = این گزارش اطلاعات شخصی شهروندان را دارد و فقط در گفت‌وگوی خصوصی با ربات فرستاده می‌شود؛ فرمان را همان‌جا بفرستید.
admin-unit-only = شما سرپرست واحد(های) { $units } هستید؛ گزارش را با «unit کد_واحد» برای یکی از آن‌ها بخواهید.
admin-bad-args = ورودی «{ $arg }» را نفهمیدم.
    نمونه: <code>/stats season</code>، <code>/stats year unit muni-d5</code>، <code>/stats 1404/01/01-1404/03/31 hq</code>
    دوره‌ها: month (ماه جاری)، bimonth (دو ماهه)، season (فصل)، half (شش ماهه)، year (سال)، یا بازهٔ تاریخ. دامنه: unit، agency، service با کد، یا hq (ستاد) و line (صف).
admin-bad-date = تاریخ بازه درست نیست. نمونه: 1404/01/01-1404/03/31
admin-period-month = ماه
admin-period-bimonth = دو ماهه
admin-period-season = فصل
admin-period-half = شش ماهه
admin-period-year = سال
admin-period-range = بازه
admin-scope-all = همهٔ واحدها
admin-scope-unit_code = واحد { $code }
admin-scope-agency_code = دستگاه { $code }
admin-scope-service_code = خدمت { $code }
admin-scope-hq = ستاد
admin-scope-line = واحدهای صف
admin-none = —
admin-percent = { $value }٪
admin-list-separator = { "، " }
admin-days = { $value } روز
admin-stats = 📊 <b>گزارش { $period }</b> — { $scope }
    { $start } تا { $end } (دورهٔ قبل: { $pstart } تا { $pend })

    <b>درخواست‌ها</b> (اکنون / دورهٔ قبل)
    • پذیرفته‌شده: { $accepted } / { $p_accepted }
    • پاسخ‌داده‌شده: { $answered } / { $p_answered }
    • باز در پایان دوره: { $open } / { $p_open }
    • گذشته از موعد: { $overdue } / { $p_overdue }
    • میانگین زمان پذیرش تا پاسخ: { $mean } / { $p_mean }
    • میانهٔ زمان پذیرش تا پاسخ، به روز کامل: { $median } / { $p_median }
    • پاسخ تا موعد وعده‌داده‌شده: { $on_time } / { $p_on_time }

    <b>نظرسنجی</b> (اکنون / دورهٔ قبل)
    • پرسشنامه‌های تکمیل‌شده: { $responses } / { $p_responses }
    • سهم راضی (امتیاز «زیاد» یا بالاتر): { $satisfied } / { $p_satisfied }
admin-stats-axes = <b>میانگین هر محور</b> (از ۴)
admin-stats-items = <b>میانگین هر پرسش</b> (از ۴)
admin-chart-weeks = درخواست‌های پذیرفته‌شده در هر هفته
admin-chart-week = هفتهٔ { $n }
admin-chart-count = تعداد درخواست
admin-chart-times = توزیع زمان پذیرش تا پاسخ
admin-chart-days = روز
admin-chart-axes = رضایت بر حسب محور سنجش
admin-chart-mean = میانگین امتیاز (۱ تا ۴)
admin-chart-caption = { $what } — { $period }
admin-export-caption = فهرست درخواست‌های { $period } ({ $count } درخواست)

export-sheet = درخواست‌ها
export-code = کد رهگیری
export-service = خدمت
export-agency = دستگاه
export-unit = واحد
export-place = ستاد / صف
export-place-hq = ستاد
export-place-line = صف
export-status = وضعیت
export-status-submitted = ثبت شده
export-status-in_progress = در حال رسیدگی
export-status-waiting_citizen = در انتظار پاسخ شهروند
export-status-waiting_inquiry = در انتظار استعلام
export-status-answered = پاسخ داده شده
export-status-rejected = رد شده
export-submitted = زمان پذیرش
export-promised = موعد وعده‌داده‌شده
export-answered = زمان پاسخ
export-days = روز تا پاسخ
export-answers = پاسخ‌های فرم
export-stages = مراحل
export-survey-completed = زمان تکمیل نظرسنجی
export-item = پرسش
export-suggestion = پیشنهاد

admin-reload-done = ✅ فهرست خدمات دوباره بارگذاری شد: { $count } خدمت.
admin-reload-failed = ⚠️ فهرست خدمات بارگذاری نشد و فهرست پیشین به کار می‌رود:
    <pre>{ $problems }</pre>

## /export: the history of a request, in words.
export-event-submitted = ثبت درخواست
export-event-taken = برداشتن کار توسط کارشناس
export-event-stage = رفتن به مرحله
export-event-question = پرسش از متقاضی
export-event-inquiry = استعلام
export-event-inquiry_answered = پاسخ استعلام
export-event-result = تحویل نتیجه
export-event-rejected = رد درخواست
export-event-transferred = ارجاع به واحد دیگر
export-event-staff_message = پیام کارشناس
export-event-citizen_message = پیام متقاضی
