"""Alembic migrations of Piiri's database (run by :func:`facilitator.db.upgrade`)."""
