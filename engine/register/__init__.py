"""项目台账: the bureau's portfolio in a database (SQLite by default, PostgreSQL by URL).

Modules, one job each: schema (tables) and migrations/ (Alembic, shipped with the package);
database (open and migrate); record (a project's record as text); events (changes as rows,
replay); sources (read facts files and workbooks for import); policies (fingerprints, the policy
in force on a day); evaluation (judge through the façade, store findings); register (the façade);
excel, calendar and export (the exports); text (the terminal views); portfolio (a generated
portfolio with histories).
"""
from .register import ImportSummary, Register

__all__ = ["ImportSummary", "Register"]
