"""Chinese working days (工作日): weekends and public holidays off, official make-up days on.

The schedule for 2004–2026 comes from the maintained `chinesecalendar` library; a county adds a
newly published year as plain data in facts/holidays.yaml, which takes precedence. A date in a year
that neither knows is an error naming that year, never a guess.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import chinese_calendar

from . import messages
from .errors import CalendarError, FactsError, relative_name
from .package_data import HOLIDAYS_FILE
from .plain_data import read_data_text, read_yaml
from .values import parse_date

MAX_HOLIDAY_BYTES = 1_000_000
DEFAULT_HOLIDAY_DATA = HOLIDAYS_FILE
_MAX_DAYS_WALKED = 3 * 366  # a count of working days never spans more than this in practice


@dataclass(frozen=True, slots=True)
class YearSchedule:
    holidays: frozenset[dt.date]
    make_up_workdays: frozenset[dt.date]


class WorkdayCalendar:
    """Answers is-working-day and counts working days; extra years come from a data file."""

    def __init__(self, extra_years: dict[int, YearSchedule], data_file: str) -> None:
        self._extra = extra_years
        self._data_file = data_file
        self._known: dict[dt.date, bool] = {}  # chinese_calendar validates every call; remember answers
        self._added: dict[tuple[dt.date, int], dt.date] = {}  # add_workdays walks day by day: remember answers

    def is_workday(self, day: dt.date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._lookup(day)
        return known

    def _lookup(self, day: dt.date) -> bool:
        schedule = self._extra.get(day.year)
        if schedule is not None:
            if day in schedule.make_up_workdays:
                return True
            return day.weekday() < 5 and day not in schedule.holidays
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise CalendarError(messages.calendar_year_missing(day.year, self._data_file)) from None

    def add_workdays(self, start: dt.date, count: int) -> dt.date:
        """The count-th working day strictly after `start` (the start day is not counted,
        民法典第二百零一条)."""
        day = self._added.get((start, count))
        if day is None:
            day = self._added[(start, count)] = self._walk_workdays(start, count)
        return day

    def _walk_workdays(self, start: dt.date, count: int) -> dt.date:
        day, found = start, 0
        for _ in range(_MAX_DAYS_WALKED):
            if found == count:
                return day
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                found += 1
        if found == count:
            return day
        raise CalendarError(f"{count} 个工作日超出了可计算的范围")

    def period_end(self, last_day: dt.date) -> dt.date:
        """The end of a period counted in 日、月 or 年 whose last day is `last_day`: when that day is a
        法定休假日 (a rest day: weekend or public holiday), the period ends on the next working day
        (民法典第二百零三条). Periods counted in working days never end on a rest day."""
        day = last_day
        for _ in range(_MAX_DAYS_WALKED):
            if self.is_workday(day):
                return day
            day += dt.timedelta(days=1)
        raise CalendarError(f"{last_day} 之后找不到工作日")


def parse_holiday_data(data: object, display: str) -> dict[int, YearSchedule]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FactsError("E330", messages.CALENDAR_SHAPE, file=display)
    years: dict[int, YearSchedule] = {}
    for written, entry in data.items():
        year = int(written) if isinstance(written, str) and re.fullmatch(r"[0-9]{4}", written) else written
        if not isinstance(year, int) or not isinstance(entry, dict) or set(entry) - {"节假日", "调休上班"}:
            raise FactsError("E330", messages.CALENDAR_YEAR_SHAPE, file=display, key_path=str(year))
        try:
            holidays = frozenset(parse_date(str(d)) for d in entry.get("节假日") or ())
            workdays = frozenset(parse_date(str(d)) for d in entry.get("调休上班") or ())
        except ValueError as exc:
            raise FactsError("E330", messages.CALENDAR_BAD_DATE.format(text=exc), file=display, key_path=str(year)) from None
        stray = [d for d in holidays | workdays if d.year != year]
        if stray:
            raise FactsError("E330", messages.CALENDAR_STRAY_DATE.format(day=stray[0], year=year), file=display, key_path=str(year))
        years[year] = YearSchedule(holidays, workdays)
    return years


@lru_cache(maxsize=4)
def load_calendar(path: Path = DEFAULT_HOLIDAY_DATA) -> WorkdayCalendar:
    display = relative_name(Path(path))
    if not Path(path).exists():
        return WorkdayCalendar({}, display)
    # Read like a facts file: a year written twice, or an alias, is refused with its line.
    data = read_yaml(read_data_text(Path(path), MAX_HOLIDAY_BYTES, "节假日数据文件"), display)
    return WorkdayCalendar(parse_holiday_data(data, display), display)
