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
    • میانهٔ زمان پذیرش تا پاسخ: { $median } / { $p_median }
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
admin-audit-caption = فرم ارزیابی استقرار میز خدمت (پیوست ۲ و جدول ۲ پیوست ۳) — نتایج نظرسنجی: { $period }

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

audit-s1-sheet = بخش ۱ محل ارائه
audit-s1-title = ۱- تعیین موقعیت ارائه خدمات قابل ارائه به ارباب رجوع و کسب و کارها در میز خدمت
audit-s1-results = نتایج ارزیابی بخش ۱
audit-agency = نام دستگاه
audit-service-title = عنوان خدمت
audit-service-code = کد خدمت
audit-service-type = نوع خدمت (G2B/G2C)
audit-place = محل ارائه
audit-place-in-person = میز خدمت حضوری
audit-place-edesk = میز خدمت الکترونیکی
audit-place-both = ترکیب میز خدمت حضوری و الکترونیکی (الکترونیکی - حضوری)
audit-place-outside = واحدهای سازمانی
audit-not-edesk-reason = دلائل و توضیحات عدم ارائه خدمت در میز خدمت الکترونیکی
audit-total = مجموع
audit-ratio-in-person = نسبت تعداد خدمات ارائه شده در میز خدمت حضوری به کل خدمات دستگاه (درصد)
audit-ratio-electronic = نسبت تعداد خدمات ارائه شده در میز خدمت الکترونیکی/الکترونیکی-حضوری به کل خدمات قابل ارائه در میز خدمت دستگاه (درصد)
audit-s3-sheet = بخش ۳ اطلاع رسانی
audit-s3-title = ۳- ارزیابی وضعیت اطلاع رسانی الکترونیکی خدمات (اعم از الکترونیکی و غیر الکترونیکی)
audit-announced-website = وب سایت دستگاه (درج آدرس صفحه وب اطلاع رسانی خدمت)
audit-announced-signboard = تابلوهایی راهنما مستقر در میز خدمت
audit-announced-phone = تلفنی و مرکز تماس
audit-published-stages = مراحل گردش کار
audit-published-documents = مستندات و مدارک مورد نیاز برای دریافت خدمت
audit-published-laws = قوانین و مقررات و آیین نامه های مربوطه
audit-published-duration = مدت زمان دریافت خدمت (فاصله بین درخواست خدمت تا ارائه خدمت)
audit-published-fees = هزینه های دریافت خدمت و نحوه محاسبه و محل پرداخت
audit-published-complaint = رویه ارائه شکایت
audit-published-responsible = معرفی مسئول و واحدهای سازمانی ارائه خدمت
audit-published-faq = سوالات متداول
audit-s5-sheet = بخش ۵ میز الکترونیکی
audit-s5-title = ۵- ارزیابی خدمات ارائه شده در میز خدمت الکترونیکی
audit-edesk-service = عنوان خدمت مستقر در میز خدمت الکترونیکی (الکترونیکی / الکترونیکی - حضوری)
audit-edesk-address = آدرس صفحه الکترونیکی ارائه خدمت
audit-edesk-upload = قابلیت ارسال الکترونیکی مدارک
audit-edesk-form = قابلیت درخواست خدمت در قالب فرم های الکترونیکی
audit-edesk-delivery = ارائه الکترونیکی خدمت
audit-edesk-tracking-code = ارائه کد رهگیری
audit-edesk-stage-tracking = قابلیت رهگیری مراحل اجرای فرآیند ارائه خدمت با کد رهگیری
audit-edesk-notifications = قابلیت ارسال پیامک مراحل انجام کار به ارباب رجوع
audit-edesk-survey = نظرسنجی الکترونیکی
audit-has = دارد
audit-s6-sheet = بخش ۶ نظرسنجی
audit-responses = تعداد پرسشنامه‌های تکمیل‌شده
audit-row = ردیف
audit-axis = محور سنجش
audit-item = پرسش
audit-count = تعداد پاسخ
audit-mean = میانگین (از ۴)
audit-satisfied = درصد راضی
audit-axis-mean = میانگین محور
audit-t2-sheet = جدول ۲ پیوست ۳
audit-t2-title = جدول ۲- قالب ارسال اطلاعات توسط ستاد مرکزی دستگاه های اجرایی به سازمان اداری و استخدامی کشور
audit-agency-title = عنوان دستگاه
audit-parent-title = عنوان دستگاه اصلی
audit-services-total = تعداد کل خدمات (G2C و G2B)
audit-t2-in-person = تعداد خدمات ارائه شده در میز خدمت حضوری
audit-t2-edesk = تعداد خدمات ارائه شده در میز خدمت الکترونیکی
audit-t2-both = تعداد خدمات ارائه شده در ترکیب میز خدمت حضوری و الکترونیکی
audit-t2-outside = تعداد خدمات ارائه شده در خارج از میز خدمت (مراجعه مستقیم به واحدهای سازمانی)
admin-reload-done = ✅ فهرست خدمات دوباره بارگذاری شد: { $count } خدمت.
admin-reload-failed = ⚠️ فهرست خدمات بارگذاری نشد و فهرست پیشین به کار می‌رود:
    <pre>{ $problems }</pre>
