"""Exit 0 when PostgreSQL answers and the test database exists (creating it if need be)."""

import sys

import psycopg


def main(url: str) -> int:
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    base, _, dbname = plain.rpartition("/")
    try:
        with psycopg.connect(plain, connect_timeout=3):
            return 0
    except psycopg.OperationalError:
        pass
    for admin_db in ("postgres", "test", "template1"):
        try:
            with psycopg.connect(f"{base}/{admin_db}", connect_timeout=3, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{dbname}"')
                return 0
        except psycopg.errors.DuplicateDatabase:
            return 0
        except psycopg.OperationalError:
            continue
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
