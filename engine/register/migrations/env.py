"""Alembic's environment for the register: run on the connection the register opened (passed in
config.attributes), never on a URL from an ini file, so an installed tool migrates its own database."""
from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)  # batch: SQLite cannot ALTER most things
with context.begin_transaction():
    context.run_migrations()
