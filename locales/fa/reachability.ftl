## When the desk cannot reach a chat: a unit's group the bot lost, a citizen who blocked the bot

group-health-lost =
    ⚠️ <b>واحد «{ $unit }» گروه فعالی ندارد</b> (<code>{ $code }</code>)
    ربات دیگر نمی‌تواند در «{ $group }» پیام بفرستد: { $reason } (از { $since }).
    کارت درخواست‌های تازه و اعلان‌های این واحد نگه داشته می‌شوند و وقتی ربات به همان گروه برگردد، یا مدیری گروه دیگری را با /bind { $code } وصل کند، فرستاده می‌شوند.
group-health-limited =
    ⚠️ <b>ربات دیگر مدیر «{ $group }» نیست</b>، گروه واحد «{ $unit }» (<code>{ $code }</code>): { $reason }.
    کارت‌ها همچنان می‌رسند، اما ربات شاید پاسخ‌های تایپ‌شدهٔ کارکنان را نبیند مگر آنکه به پیام‌های آن پاسخ دهند. برای رفع آن، ربات را دوباره مدیر گروه کنید.
group-health-back = ✅ ربات دوباره می‌تواند در «{ $group }»، گروه واحد «{ $unit }» (<code>{ $code }</code>)، پیام بفرستد؛ آنچه منتظر مانده بود فرستاده می‌شود.
group-health-reminder =
    ⏰ <b>یادآوری: واحد «{ $unit }» هنوز گروه فعالی ندارد</b> (<code>{ $code }</code>)
    ربات از { $since } نمی‌تواند در «{ $group }» پیام بفرستد: { $reason }. درخواست‌های آن منتظرند. ربات را به گروه برگردانید یا گروه دیگری را با /bind { $code } وصل کنید.

group-reason-left = ربات از گروه بیرون شد
group-reason-kicked = ربات از گروه اخراج شد
group-reason-restricted = ربات اجازهٔ فرستادن پیام در گروه را ندارد
group-reason-demoted = ربات از مدیری گروه برکنار شد

groups-title = <b>واحدها و گروه‌هایشان</b>
groups-line-none = • { $unit } (<code>{ $code }</code>): ❌ گروهی وصل نیست
groups-line-ok = • { $unit } (<code>{ $code }</code>): ✅ «{ $group }» ({ $platform })
groups-line-lost = • { $unit } (<code>{ $code }</code>): ⚠️ «{ $group }» ({ $platform }) از { $since } در دسترس نیست: { $reason }
groups-line-limited = • { $unit } (<code>{ $code }</code>): ⚠️ «{ $group }» ({ $platform }) ربات از { $since } مدیر آن نیست: { $reason }

staff-citizen-unreachable = ⚠️ این به متقاضی درخواست { $code } نرسید، چون ربات را مسدود کرده است: { $what }. اگر به ربات برگردد، برایش فرستاده می‌شود.
staff-sent-unreachable = ⚠️ ثبت شد، اما به متقاضی نرسید: ربات را مسدود کرده است. اگر به ربات برگردد، برایش فرستاده می‌شود.
