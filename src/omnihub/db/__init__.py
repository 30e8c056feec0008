"""Storage: SQLAlchemy models, engine and sessions, the embedded PostgreSQL, migrations."""
