## The citizen's journey: menu, catalogue, information package, profile, form, receipt, tracking.

start-greeting = سلام { $name }، به <b>میز خدمت الکترونیکی</b> خوش آمدید. 🌷
    از اینجا می‌توانید خدمات دستگاه‌ها را ببینید، درخواست ثبت کنید، مدارک بفرستید و مراحل کار را پیگیری کنید.
    برای جست‌وجو کافی است نام خدمت را بنویسید؛ برای پیگیری، کد رهگیری را بفرستید.
menu-resume = ▶️ ادامهٔ فرم نیمه‌کاره
menu-discard = 🗑 کنار گذاشتن فرم
menu-paused-form = 📝 فرم «{ $service }» نیمه‌کاره مانده است ({ $count } پاسخ). ادامه دهید یا آن را کنار بگذارید؛ تا آن زمان هرچه بنویسید جست‌وجو است.
menu-catalog = 📚 فهرست خدمات
menu-mine = 📄 درخواست‌های من
menu-profile = 👤 مشخصات من
menu-help = ❓ راهنما
menu-lang = 🌐 زبان / Language
nav-prev = ◀️ قبلی
nav-next = بعدی ▶️
nav-page = { $page } از { $pages }
nav-menu = 🏠 منوی اصلی
nav-back = ↩️ بازگشت
list-separator = {"، "}
decimal-separator = ٫
thousands-separator = ٬
lang-name-fa = فارسی
lang-name-en = English
lang-choose = زبان را انتخاب کنید / Choose your language:
lang-set = زبان به فارسی تغییر کرد.
cancelled = لغو شد. هر وقت خواستید از منوی اصلی ادامه دهید.
nothing-to-cancel = کاری در جریان نیست.
unknown-input = متوجه نشدم. از دکمه‌ها استفاده کنید یا /help را بفرستید.
button-expired = این دکمه دیگر معتبر نیست. لطفاً از منوی اصلی ادامه دهید.

catalog-agencies = <b>فهرست خدمات</b>
    دستگاه اجرایی را انتخاب کنید:
catalog-services = <b>{ $agency }</b>
    { $count } خدمت. خدمت مورد نظر را انتخاب کنید:
search-none = خدمتی با «{ $query }» پیدا نشد. واژهٔ دیگری بنویسید یا از فهرست خدمات استفاده کنید.
search-found = { $count } خدمت برای «{ $query }» پیدا شد (نزدیک‌ترها اول):
search-expired = این نتیجه‌ها قدیمی است؛ واژهٔ جست‌وجو را دوباره بنویسید.

info-main = { $description }

    🏛 دستگاه: { $agency }
    ⏱ مدت انجام: { $duration } روز کاری
    🚶 دفعات مراجعهٔ حضوری: { $visits }
    💳 هزینه: { $fee } ریال
    🔁 { $stages } مرحله، { $electronic } مرحله الکترونیکی
    نوع خدمت: { $type }

    برای دیدن جزئیات از دکمه‌ها استفاده کنید.
info-btn-main = ℹ️ معرفی خدمت
info-btn-stages = 🔁 مراحل گردش کار
info-btn-documents = 📎 مدارک مورد نیاز
info-btn-laws = ⚖️ قوانین و مقررات
info-btn-faq = ❔ سوالات متداول
info-btn-fees = 💳 هزینه‌ها
info-btn-complaint = 📣 رویهٔ شکایت
info-btn-contact = 🏢 مسئول و ساعات دسترسی
info-btn-apply = ✅ ثبت درخواست این خدمت
info-none = موردی ثبت نشده است.
info-stage = { $n }. { $title } — { $electronic ->
        [true] 🌐 الکترونیکی ({ $channel })
       *[false] 🏢 حضوری ({ $channel })
    }
info-fees = مبلغ: { $amount } ریال
    نحوهٔ محاسبه و پرداخت: { $how }
    شمارهٔ حساب: { $account }
    پرداخت الکترونیکی: { $epayment ->
        [true] دارد
       *[false] ندارد
    }
info-contact = واحد مسئول: { $unit }
    مسئول اصلی ارائهٔ خدمت: { $person }
    ساعات دسترسی: { $hours }
    نشانی اینترنتی: { $web }
channel-internet = اینترنت
channel-email = پست الکترونیکی
channel-ivr = تلفن گویا / مرکز تماس
channel-sms = پیامک
channel-other = سایر
channel-none = —
why-not-identity_check = نیاز به احراز هویت حضوری
why-not-authenticity_check = نیاز به بررسی اصالت مدارک
why-not-no_infrastructure = نبود زیرساخت
why-not-other = سایر دلایل
why-not-none = —

profile-view = <b>مشخصات من</b>
    نام و نام خانوادگی: { $name }
    کد ملی: { $national_id }
    تلفن همراه: { $mobile }
profile-missing = ثبت نشده
profile-edit-name = ✏️ نام
profile-edit-national-id = ✏️ کد ملی
profile-edit-mobile = ✏️ تلفن همراه
profile-intro = پیش از فرم، مشخصات شما یک بار ثبت می‌شود و در درخواست‌های بعدی دوباره پرسیده نمی‌شود.
profile-ask-name = نام و نام خانوادگی خود را بنویسید:
profile-ask-national-id = کد ملی ۱۰ رقمی خود را بنویسید (ارقام فارسی یا انگلیسی):
profile-ask-mobile = شمارهٔ تلفن همراه خود را با دکمهٔ «ارسال شمارهٔ من» بفرستید یا آن را بنویسید (مانند ۰۹۱۲۱۲۳۴۵۶۷):
profile-saved = ✅ مشخصات ذخیره شد.
share-contact = 📱 ارسال شمارهٔ من
share-location = 📍 ارسال موقعیت من

form-intro = <b>فرم درخواست: { $service }</b>
    { $count } پرسش. در هر مرحله می‌توانید بازگردید یا لغو کنید؛ اگر کار را نیمه‌تمام بگذارید، پاسخ‌هایتان نگه داشته می‌شود.
form-none = فرمی در جریان نیست. از منوی اصلی یک خدمت را انتخاب کنید.
form-question = <b>{ $step } از { $total } — { $label }</b>{ $optional ->
        [true] { " " }(اختیاری)
       *[false] {""}
    }
    { $help }
    <i>{ $hint }</i>
form-skip = ⏭ رد کردن
form-back = ◀️ قبلی
form-cancel = ✖️ لغو
form-done = ✔️ تمام
form-location-button = موقعیت را با دکمهٔ زیر بفرستید.
form-mobile-button = می‌توانید شماره را با دکمهٔ زیر بفرستید یا بنویسید.
form-skipped = ⏭ این پرسش رد شد.
form-going-back = ◀️ بازگشت به پرسش قبلی.
form-contact-received = شماره دریافت شد.
form-location-received = موقعیت دریافت شد.
form-file-received = فایل «{ $name }» دریافت شد ({ $count } از { $max }). فایل دیگری بفرستید یا «تمام» را بزنید.
hint-text = پاسخ را بنویسید (حداکثر { $limit } نویسه).
hint-longtext = توضیح را بنویسید (حداکثر { $limit } نویسه).
hint-number = یک عدد بنویسید.
hint-date = تاریخ را به صورت ۱۴۰۴/۰۲/۱۵ بنویسید.
hint-national_id = کد ملی ۱۰ رقمی را بنویسید.
hint-mobile = شمارهٔ همراه را بنویسید (مانند ۰۹۱۲۱۲۳۴۵۶۷).
hint-postal_code = کد پستی ۱۰ رقمی را بنویسید.
hint-choice = یکی از گزینه‌ها را انتخاب کنید.
hint-multichoice = گزینه‌های مورد نظر را انتخاب و سپس «تمام» را بزنید.
hint-yesno = «بله» یا «خیر» را انتخاب کنید.
hint-document = فایل را بفرستید ({ $kinds }، حداکثر { $size } مگابایت، تا { $count } فایل).
hint-photo = عکس را بفرستید (حداکثر { $size } مگابایت).
hint-location = موقعیت را با دکمهٔ «ارسال موقعیت من» بفرستید.
review = <b>بازبینی درخواست: { $service }</b>

    { $lines }

    اگر همه چیز درست است «ثبت نهایی» را بزنید؛ برای اصلاح هر مورد، دکمهٔ آن را بزنید.
review-line = • <b>{ $label }</b>: { $value }
review-edit = ✏️ { $label }
review-submit = ✅ ثبت نهایی
review-missing = ⚠️ این موارد الزامی هنوز پاسخ داده نشده‌اند: { $fields }
answer-empty = —
answer-yes = بله
answer-no = خیر
answer-files = 📎 { $count } فایل { $names }
answer-location = 📍 { $lat }، { $lon }

receipt = 🧾 <b>رسید الکترونیکی درخواست</b>
    کد رهگیری: <code>{ $code }</code>
    خدمت: { $service }
    زمان ثبت: { $submitted }
    تاریخ پاسخ (وعده شده): { $promised }

    { $reached ->
        [yes] درخواست شما به واحد مسئول فرستاده شد. هر مرحله از کار در همین گفت‌وگو به شما اطلاع داده می‌شود. برای پیگیری، کد رهگیری را بفرستید یا از «درخواست‌های من» استفاده کنید.
       *[no] درخواست شما ثبت شد، اما واحد مسئول فعلاً نمی‌تواند آن را دریافت کند؛ به محض امکان به دستشان می‌رسد. از هر مرحله در همین گفت‌وگو باخبر می‌شوید. برای پیگیری، کد رهگیری را بفرستید یا «درخواست‌های من» را باز کنید.
    }
receipt-again = این فرم پیش‌تر ثبت شده است؛ رسید همان درخواست:
receipt-view = 🔎 مشاهدهٔ درخواست

track-view = <b>درخواست { $code }</b>
    خدمت: { $service }
    وضعیت: { $status }
    زمان ثبت: { $submitted }
    تاریخ پاسخ (وعده شده): { $promised }

    <b>مراحل:</b>
    { $stages }
track-answered = زمان پاسخ: { $at }
track-result = <b>نتیجه:</b>
    { $result }
track-rejected = <b>دلیل رد درخواست:</b>
    { $reason }
track-messages = <b>آخرین پیام‌ها:</b>
track-refresh = 🔄 به‌روزرسانی
track-complain = 📣 ثبت شکایت
track-survey = ⭐️ نظرسنجی
track-not-found = درخواستی با این کد رهگیری پیدا نشد. کد را بررسی کنید.
track-usage = کد رهگیری را بعد از /track بنویسید، یا فقط خود کد را بفرستید.
mine-title = <b>درخواست‌های من</b> ({ $count })
mine-empty = هنوز درخواستی ثبت نکرده‌اید.
mine-item = { $code } · { $service } · { $status }
status-submitted = ثبت شده
status-in_progress = در حال رسیدگی
status-waiting_citizen = در انتظار پاسخ شما
status-waiting_inquiry = در انتظار استعلام
status-answered = پاسخ داده شده
status-rejected = رد شده

error-national-id-format = کد ملی باید ۱۰ رقم باشد. دوباره بنویسید:
error-national-id-repeated = کد ملی نمی‌تواند از یک رقم تکراری باشد. دوباره بنویسید:
error-national-id-checksum = این کد ملی معتبر نیست (رقم کنترل درست نیست). دوباره بنویسید:
error-mobile-format = شمارهٔ همراه معتبر نیست؛ مانند ۰۹۱۲۱۲۳۴۵۶۷ بنویسید:
error-mobile-not-iranian = فقط شمارهٔ همراه ایرانی پذیرفته می‌شود؛ آن را بنویسید (مانند ۰۹۱۲۱۲۳۴۵۶۷):
error-postal-code-format = کد پستی باید ۱۰ رقم باشد. دوباره بنویسید:
error-postal-code-invalid = این کد پستی معتبر نیست. دوباره بنویسید:
error-number-format = لطفاً یک عدد بنویسید:
error-number-not-integer = لطفاً یک عدد صحیح (بدون اعشار) بنویسید:
error-number-too-small = عدد نباید کمتر از { $min } باشد:
error-number-too-large = عدد نباید بیشتر از { $max } باشد:
error-date-format = تاریخ را به صورت ۱۴۰۴/۰۲/۱۵ بنویسید:
error-date-invalid = این تاریخ در تقویم وجود ندارد. دوباره بنویسید:
error-date-too-early = تاریخ نباید پیش از { $min } باشد:
error-date-too-late = تاریخ نباید پس از { $max } باشد:
error-too-long = متن طولانی است؛ حداکثر { $max } نویسه. کوتاه‌تر بنویسید:
error-empty = پاسخ خالی است. دوباره بنویسید:
error-choice-invalid = لطفاً یکی از گزینه‌ها را انتخاب کنید.
error-choice-too-few = دست‌کم { $min } گزینه را انتخاب کنید.
error-choice-too-many = حداکثر { $max } گزینه را انتخاب کنید.
error-use-buttons = لطفاً از دکمه‌ها استفاده کنید.
error-required = پاسخ به این پرسش الزامی است.
error-file-too-big = حجم فایل بیش از { $size } مگابایت است. فایل کوچک‌تری بفرستید:
error-file-type = نوع فایل پذیرفته نیست؛ فقط { $kinds }. فایل دیگری بفرستید:
error-file-download = دریافت فایل ممکن نشد. دوباره بفرستید:
error-not-own-contact = فقط شمارهٔ خودتان پذیرفته می‌شود؛ از دکمهٔ «ارسال شمارهٔ من» استفاده کنید.
error-send-text = لطفاً پاسخ را به صورت متن بنویسید.
error-send-document = لطفاً فایل را بفرستید.
error-send-photo = لطفاً عکس را بفرستید.
error-send-location = لطفاً موقعیت را با دکمهٔ «ارسال موقعیت من» بفرستید.
error-unexpected = این پاسخ برای این پرسش مناسب نیست.
track-typo = این کد رهگیری درست نیست؛ احتمالاً یک رقم اشتباه تایپ شده است. کد را دوباره بررسی کنید.

## Pausing and discarding a form
form-discard-confirm = فرم «{ $service }» { $count } پاسخ دارد. همه را کنار می‌گذارید؟
form-discard-yes = 🗑 بله، کنار بگذار
form-discard-no = ↩️ نه، ادامه می‌دهم
form-discarded = فرم کنار گذاشته شد و پاسخ‌ها و فایل‌های آن پاک شد.
profile-cancelled = لغو شد؛ آنچه تا اینجا ثبت کردید نگه داشته شد. هر وقت خواستید از منوی اصلی ادامه دهید.

## The in-person desk: staff register a walk-in citizen's request (/walkin).
walkin-usage = شیوهٔ نوشتن: <code>/walkin SERVICE_CODE</code> — فرم خدمت را برای مراجعه‌کننده‌ای که حضوری آمده پر کنید.
walkin-staff-only = ثبت حضوری فقط از کارکنان واحد ارائه‌دهندهٔ این خدمت (اعضای گروه آن)، سرپرستان و مدیران برمی‌آید.
walkin-intro = <b>ثبت حضوری: { $service }</b>
    پاسخ‌های مراجعه‌کننده را وارد کنید ({ $count } پرسش)؛ مدارکی را که همراه دارد همین‌جا بفرستید. پس از ثبت، رسید را به او بدهید.
walkin-registered = { $messenger ->
    [yes] این درخواست به صورت حضوری ثبت شد و رسید و کد رهگیری در پیام‌رسان مراجعه‌کننده هم برایش فرستاده می‌شود.
   *[false] این درخواست به صورت حضوری ثبت شد. رسید بالا را چاپ کنید یا کد رهگیری را به مراجعه‌کننده بدهید؛ او در پیام‌رسان حسابی با این کد ملی ندارد.
}
notify-submitted = درخواست شما برای «{ $service }» در میز خدمت حضوری ثبت شد. کد رهگیری: { $code }

## The conversation with staff
track-write = ✍️ نوشتن دربارهٔ این درخواست
track-from-citizen = شما
track-from-staff = کارشناس
track-message-files = (📎 { $count } فایل)
track-message-line = • { $at } — <b>{ $who }</b>: { $text }
track-conversation-open = 💬 گفت‌وگو با کارشناس باز است: برای فرستادن پیام، «نوشتن دربارهٔ این درخواست» را بزنید.
thread-prompt = ✍️ اکنون دربارهٔ درخواست { $code } ({ $service }) می‌نویسید: هر متن، فایل، عکس یا پیام صوتی که بفرستید به کارشناس می‌رسد، تا وقتی گفت‌وگو را ببندد یا شما بیرون بروید.
thread-sent = ✅ برای کارشناس درخواست { $code } ({ $service }) فرستاده شد. پیام‌های بعدی هم به همین درخواست می‌رسد.
thread-left = از گفت‌وگوی درخواست { $code } بیرون آمدید؛ از این پس هرچه بنویسید جست‌وجو است. برای نوشتن دوباره، «نوشتن دربارهٔ این درخواست» را در صفحهٔ درخواست بزنید.
thread-leave = 🚪 بیرون آمدن از گفت‌وگو
thread-switch = 🔀 درخواست دیگر
thread-switch-to = { $code } · { $service }
thread-switch-which = دربارهٔ کدام درخواست می‌نویسید؟
thread-no-other = گفت‌وگوی باز دیگری ندارید.
thread-closed-by-staff = کارشناس این گفت‌وگو را بسته است و پیام شما فرستاده نشد. برای نوشتن دوباره، «نوشتن دربارهٔ این درخواست» را در صفحهٔ درخواست بزنید.

## Limits
limit-messages = پیام‌های شما زیاد و پشت سر هم رسیده است. لطفاً { $seconds } ثانیه صبر کنید و دوباره بفرستید.
limit-tracking = جست‌وجوی کد رهگیری بیش از حد مجاز بود. لطفاً { $seconds } ثانیه دیگر دوباره امتحان کنید.
error-open-requests = شما هم‌اکنون { $max } درخواست باز برای این خدمت دارید؛ تا پاسخ یکی از آن‌ها درخواست تازه‌ای ثبت نمی‌شود. وضعیت آن‌ها را در «درخواست‌های من» ببینید.
error-complaints-limit = برای این درخواست { $max } شکایت ثبت کرده‌اید؛ شکایت بیشتری پذیرفته نمی‌شود.
error-storage-request = حجم فایل‌های این درخواست از { $mb } مگابایت بیشتر می‌شود؛ فایل کوچک‌تری بفرستید.
error-storage-citizen = حجم همهٔ فایل‌های شما از { $mb } مگابایت بیشتر می‌شود؛ این فایل ذخیره نشد.
error-files-full = این پرسش حداکثر { $max } فایل می‌گیرد و همه رسیده است؛ دکمهٔ «تمام» را بزنید.

# an edited message
form-answer-changed = پاسخ «{ $label }» به متن ویرایش‌شده تغییر کرد.
form-edit-on-review = ویرایش پیام‌های قبلی خوانده نمی‌شود. برای تغییر یک پاسخ، پیش از ثبت نهایی در صفحهٔ بازبینی دکمهٔ ✏️ آن را بزنید.
edit-not-read = پیام‌های ویرایش‌شده خوانده نمی‌شوند؛ لطفاً آن را دوباره به صورت پیام تازه بفرستید.
