"""The 待办 deadlines as an iCalendar file (RFC 5545, written with icalendar) for Outlook, WPS or a
phone: one all-day event per open 待办, titled with the project and 摘要, described with its
article, rule and the sentence of the regulation. The UID is made from the project, the rule and
the record, not from the date, so exporting again after a deadline moves updates the entry in
the calendar instead of adding a second one."""
from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event

from .evaluation import DUE, Judged

PRODUCT = "-//金乡县大数据局//项目台账//ZH"
UID_DOMAIN = "jinxiang-policy.register"


def event_uid(project_id: str, rule_id: str, item: int | None) -> str:
    key = f"{project_id}\x1f{rule_id}\x1f{item or 0}"
    return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@{UID_DOMAIN}"


def calendar_bytes(judged: list[Judged], stamp: dt.datetime) -> bytes:
    """`stamp` (UTC) is the DTSTAMP of every event: when this export was made."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "项目台账 待办截止日期")
    for item in judged:
        name = item.report["项目名称"] or item.project_id
        for finding in item.report["发现"]:
            if finding["类别"] != DUE or not finding["截止日期"]:
                continue
            deadline = dt.date.fromisoformat(finding["截止日期"])
            record = f"（第{finding['项']}项）" if finding.get("项") else ""
            event = Event()
            event.add("uid", event_uid(item.project_id, finding["规则"], finding.get("项")))
            event.add("dtstamp", stamp.replace(tzinfo=dt.UTC))
            event.add("dtstart", deadline)
            event.add("dtend", deadline + dt.timedelta(days=1))
            event.add("summary", f"{name}：{finding['摘要']}{record}")
            event.add("description", "\n".join((
                f"项目：{item.project_id} {name}", f"依据：{finding['条号']}（规则 {finding['规则']}）",
                f"原文：{finding['原文']}", f"截止日期：{finding['截止日期']}", f"评估日期：{item.report['评估日期']}")))
            event.add("categories", [finding["条号"], "待办"])
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar.to_ical()
