"""The printable report: one project's report as staff read it (report_view.ReportView), as an
HTML page a reviewer prints, signs and attaches to the file.

The page is a template file, templates/report.html, rendered by Jinja2 with autoescaping on: a
report carries text written in facts and policy files, which must never become markup. The
template is read as package data, so an installed tool finds it wherever it runs.
"""
from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from . import language
from .report import Report
from .report_view import ReportView
from .staff_labels import StaffLabels

# StrictUndefined: a misspelt name in the template fails the tests instead of printing nothing.
_TEMPLATES = Environment(loader=PackageLoader("engine", "templates"), autoescape=True, undefined=StrictUndefined,
                         trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def printable_report(report: Report, labels: StaffLabels, building_unit: str | None = None) -> str:
    """`labels`: the policy's and vocabulary's staff readings; `building_unit`: the facts' 项目.建设单位."""
    # `kinds`: each kind's class and whether it is a breach, from the language's one definition.
    view = ReportView.of(report, labels, building_unit)
    return _TEMPLATES.get_template("report.html").render(view=view, kinds=language.KINDS)
