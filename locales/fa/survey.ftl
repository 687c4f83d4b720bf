## The satisfaction questionnaire (the item texts, axes and scale are in catalog/survey.toml).

survey-invite = 🌟 درخواست <b>{ $code }</b> ({ $service }) به پایان رسید.
    لطفاً با پاسخ به پرسشنامهٔ کوتاه رضایت، ما را در بهبود خدمات یاری کنید. هر وقت خواستید می‌توانید آن را نیمه‌کاره رها کنید و بعد ادامه دهید.
survey-remind = ⏰ یادآوری: هنوز منتظر نظر شما دربارهٔ درخواست <b>{ $code }</b> ({ $service }) هستیم.
    پاسخ به پرسشنامه فقط چند دقیقه وقت می‌گیرد.
survey-start = ⭐️ شروع نظرسنجی
survey-later = ⏸ بعداً
survey-back = ↩️ قبلی
survey-skip = ترجیح می‌دهم نگویم
survey-finish = ✅ پایان بدون پیشنهاد
survey-header = <b>{ $title }</b>
    درخواست { $code } — { $service }
survey-progress = مرحلهٔ { $step } از { $total }
survey-known = (پاسخ قبلی شما با ✅ مشخص شده است؛ همان را بزنید یا گزینهٔ دیگری انتخاب کنید.)
survey-axis = محور سنجش: <b>{ $axis }</b>
survey-item = پرسش { $number } از { $total }: <b>{ $text }</b>
survey-scale = { $title }:
survey-suggestion-how = پیشنهاد خود را در یک پیام بنویسید و بفرستید، یا «پایان بدون پیشنهاد» را بزنید.
survey-done = 🙏 از شما سپاسگزاریم. پاسخ‌های شما ثبت شد.
survey-left = نظرسنجی درخواست { $code } ({ $service }) نیمه‌کاره ماند. هر وقت خواستید از صفحهٔ پیگیری درخواست، دکمهٔ «نظرسنجی» را بزنید تا از همان‌جا ادامه دهید.
survey-not-found = نظرسنجی‌ای برای این درخواست پیدا نشد.
survey-stale = این دکمه مربوط به مرحلهٔ دیگری است؛ مرحلهٔ فعلی نمایش داده شد.
survey-use-buttons = ✋ نظرسنجی باز است: لطفاً با دکمه‌های آن پاسخ دهید، یا «بعداً» را بزنید تا از آن بیرون بروید. پیام شما جایی فرستاده نشد.
survey-text-only = ✋ پیشنهاد را به صورت متن بنویسید، یا «پایان بدون پیشنهاد» را بزنید.
