"""Alembic migrations of the dataset schema (``sitrep db upgrade`` runs them)."""
