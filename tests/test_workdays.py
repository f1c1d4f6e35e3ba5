"""Working days: the start day is not counted; weekends and holidays are off; make-up days are on;
a year nobody has published is an error naming that year; a county adds a year as data."""
from __future__ import annotations

import datetime as dt

import pytest

from engine.errors import CalendarError, FactsError
from engine.workdays import load_calendar, parse_holiday_data, WorkdayCalendar

D = dt.date


@pytest.mark.parametrize("start, count, expected", [
    (D(2024, 9, 30), 10, D(2024, 10, 18)),   # 2024 National Day; 10-12 (Sat) is a make-up day
    (D(2025, 1, 24), 10, D(2025, 2, 13)),    # 2025 Spring Festival; 01-26 (Sun) and 02-08 (Sat) make-up days
    (D(2025, 9, 26), 10, D(2025, 10, 16)),   # 2025 National Day; 09-28 (Sun) and 10-11 (Sat) make-up days
    (D(2025, 4, 21), 10, D(2025, 5, 7)),     # 2025 Labour Day; 04-27 (Sun) make-up day
    (D(2025, 3, 7), 1, D(2025, 3, 10)),      # Friday → the next working day is Monday
    (D(2025, 3, 8), 1, D(2025, 3, 10)),      # starting on a Saturday: the day itself is never counted
    (D(2026, 12, 17), 10, D(2026, 12, 31)),  # last working day of the known data
])
def test_add_workdays(start, count, expected):
    assert load_calendar().add_workdays(start, count) == expected


def test_make_up_day_is_a_working_day_and_holiday_is_not():
    calendar = load_calendar()
    assert calendar.is_workday(D(2025, 1, 26))      # Sunday, make-up day
    assert not calendar.is_workday(D(2025, 1, 29))  # Wednesday, Spring Festival


def test_unknown_year_is_an_error_naming_it():
    with pytest.raises(CalendarError) as caught:
        load_calendar().add_workdays(D(2026, 12, 25), 10)
    assert caught.value.render() == (
        "错误[E400]: 工作日计算需要 2027 年的节假日安排，但日历中没有这一年。国务院办公厅公布该年放假安排后，"
        "请在 facts/holidays.yaml 中按示例补充 2027 年的「节假日」和「调休上班」日期")


def test_a_county_adds_next_year_as_data(tmp_path):
    data = tmp_path / "holidays.yaml"
    data.write_text("2027:\n  节假日: [2027-01-01]\n  调休上班: [2027-01-09]\n", encoding="utf-8")
    calendar = load_calendar(data)
    assert calendar.add_workdays(D(2026, 12, 30), 1) == D(2026, 12, 31)
    assert calendar.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)   # 01-01 holiday, then a weekend
    assert calendar.is_workday(D(2027, 1, 9))                             # a Saturday made a working day


def test_bad_holiday_data_is_a_located_error():
    with pytest.raises(FactsError) as caught:
        parse_holiday_data({2027: {"节假日": ["2028-01-01"]}}, "holidays.yaml")
    assert caught.value.render() == "holidays.yaml: 错误[E330]: 「2027」日期 2028-01-01 不在 2027 年"


def test_shipped_holiday_file_is_valid():
    assert isinstance(load_calendar(), WorkdayCalendar)


@pytest.mark.parametrize("last_day, expected", [
    (D(2025, 10, 1), D(2025, 10, 9)),    # National Day 10-01…10-08: the period runs to the next working day
    (D(2025, 10, 8), D(2025, 10, 9)),    # the holiday's last day
    (D(2025, 10, 9), D(2025, 10, 9)),    # a working day ends the period itself
    (D(2025, 10, 11), D(2025, 10, 11)),  # a Saturday make-up day is a working day
    (D(2025, 3, 8), D(2025, 3, 10)),     # an ordinary weekend is a rest day too
    (D(2026, 1, 1), D(2026, 1, 4)),      # New Year 2026: 01-04 (Sun) is a make-up day
])
def test_a_period_ending_on_a_rest_day_ends_on_the_next_working_day(last_day, expected):
    assert load_calendar().period_end(last_day) == expected


def test_a_period_ending_in_an_unpublished_year_is_an_error_naming_the_year():
    with pytest.raises(CalendarError) as error:
        load_calendar().period_end(D(2031, 5, 1))
    assert "2031" in str(error.value)


def test_a_year_written_twice_is_refused_with_both_lines(tmp_path):
    data = tmp_path / "holidays.yaml"
    data.write_text("2027:\n  节假日: [2027-01-01]\n2027:\n  节假日: [2027-10-01]\n", encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        load_calendar(data)
    assert caught.value.render().endswith(
        "holidays.yaml:3: 错误[E309]: 「2027」这个键写了两次（第 1 行和第 3 行），只能保留一个；否则后一个会悄悄覆盖前一个")
