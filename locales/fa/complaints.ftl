## Complaints about a request.

complaint-write = 📣 شکایت خود دربارهٔ درخواست <b>{ $code }</b> را در یک پیام بنویسید و بفرستید.
    شکایت شما به مسئولان واحد رسیدگی‌کننده می‌رسد و پاسخ آن را همین‌جا دریافت می‌کنید.
complaint-too-long = متن شکایت طولانی است؛ حداکثر { $max } نویسه بنویسید.
complaint-lodged = ✅ شکایت شمارهٔ { $number } دربارهٔ درخواست { $code } ثبت شد. پاسخ آن را همین‌جا دریافت می‌کنید.
complaint-new = 📣 <b>شکایت شمارهٔ { $number }</b>
    درخواست { $code } — { $service }
    واحد: { $unit }
    شاکی: { $name }

    { $text }
complaint-answer-btn = ✍️ پاسخ به شکایت
complaint-answer-write = پاسخ شکایت شمارهٔ { $number } را در یک پیام بنویسید و بفرستید.
complaint-answer-sent = ✅ پاسخ شکایت شمارهٔ { $number } برای شهروند فرستاده شد.
complaint-already = به این شکایت پیش‌تر پاسخ داده شده است ({ $name }).
complaint-not-allowed = شما اجازهٔ پاسخ به این شکایت را ندارید.
complaint-answered = 📬 <b>پاسخ شکایت شمارهٔ { $number }</b> (درخواست { $code })
    شکایت شما: <i>{ $text }</i>

    { $answer }
complaint-cancelled = شکایتی ثبت نشد.
