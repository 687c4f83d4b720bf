## The holiday calendar's coverage warning to admins.

calendar-uncovered = ⚠️ <b>The holiday calendar is known only up to { $until }</b>, less than { $days } days ahead.
    Promised dates after that day skip only the estimated lunar holidays (Tasua, Ashura, Eid al-Fitr...), which may be a day off.
    Update the <code>holidays</code> package (now { $version }), or check the official calendar of the coming year and set in bot.toml, under [calendar]: <code>add_holidays</code> / <code>remove_holidays</code> for the days that differ, and <code>checked_until</code> for the last day you checked.
calendar-unknown = no day
