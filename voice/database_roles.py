"""Two PostgreSQL roles: one that owns and migrates the schema, one the app runs as.

``flask --app voice roles grant-app ROLE`` (run as the owner, after ``db upgrade``) gives the
app role what it needs and nothing more: it can read and write the service's tables, but it
does not own them, so it cannot ALTER or DROP any table or drop the audit trail's triggers,
and on ``audit_events`` and ``audit_seals`` it may only SELECT and INSERT. docs/deployment.md
shows the whole set-up.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect
from sqlalchemy.sql import quoted_name

APPEND_ONLY = ("audit_events", "audit_seals")


def grants(conn: Connection, role: str) -> list[str]:
    """The statements that make ``role`` the app's role (PostgreSQL only)."""
    who = conn.dialect.identifier_preparer.quote(quoted_name(role, quote=True))
    statements = [f"GRANT USAGE ON SCHEMA public TO {who}"]
    for table in sorted(inspect(conn).get_table_names()):
        name = conn.dialect.identifier_preparer.quote(table)
        rights = "SELECT, INSERT" if table in APPEND_ONLY else "SELECT, INSERT, UPDATE, DELETE"
        statements += [f"REVOKE ALL ON {name} FROM {who}", f"GRANT {rights} ON {name} TO {who}"]
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}")
    return statements
