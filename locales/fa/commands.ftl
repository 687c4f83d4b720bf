## The messenger's command menu and /help, per role

cmd-start = منوی اصلی
cmd-track = پیگیری درخواست با کد رهگیری
cmd-mine = درخواست‌های من
cmd-profile = مشخصات من
cmd-cancel = لغو کار جاری
cmd-lang = تغییر زبان / Language
cmd-help = راهنما
cmd-overdue = درخواست‌های نزدیک به موعد و گذشته از موعد
cmd-bind = وصل کردن این گروه به یک واحد
cmd-unbind = برداشتن اتصال این گروه
cmd-groups = گروه‌های واحدها و وضعیت آن‌ها
cmd-stats = آمار درخواست‌ها
cmd-chart = نمودار آمار
cmd-export = خروجی اکسل درخواست‌ها
cmd-audit = فرم‌های ارزیابی
cmd-grant = دادن نقش به کاربر
cmd-revoke = گرفتن نقش از کاربر
cmd-reload = بارگذاری دوبارهٔ شناسنامهٔ خدمات
cmd-args-track = کد-رهگیری
cmd-args-bind = UNIT_CODE
cmd-args-stats = [month|season|year] [unit CODE]
cmd-args-grant = USER_ID admin|supervisor [UNIT]
cmd-args-revoke = USER_ID admin|supervisor [UNIT]

help-line = • { $command } — { $text }
help-citizen-title = <b>راهنمای میز خدمت</b>
help-citizen-typing = • نام یا کلیدواژهٔ خدمت را بنویسید تا جست‌وجو شود؛ کد رهگیری را بفرستید تا درخواست نشان داده شود.
help-admin-title = <b>دستورهای مدیر</b>
help-supervisor-title = <b>دستورهای سرپرست واحد</b>
help-staff-title = <b>راهنمای کارکنان در گروه واحد</b>
help-staff-how = با دکمه‌های کارت هر درخواست کار کنید؛ برای نوشتن به متقاضی، به کارت پاسخ (Reply) دهید. پیام‌های متقاضی زیر کارت می‌آید و با «بستن گفت‌وگو» بسته می‌شود.
