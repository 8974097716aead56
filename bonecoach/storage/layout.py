"""The database folder's files by name, and which file holds which table (no models here: the
lock, the switch and the caches name files without importing pydantic)."""

META_FILE = "meta.json"
SESSIONS_FILE = "sessions.json"
# The exercise session records have a file of their own (schema 4): at ten years they were 99% of
# meta.json, and every command parsed them though only the exercise views read them.
SESSION_TABLES = ("sessions", "session_in_progress")
SESSIONS_OWN_FILE_FROM = 4  # the schema version from which they are kept there
TABLE_FILES = (META_FILE, SESSIONS_FILE)  # the files of tables, beside entries/YYYY-MM.json


def file_of_table(table: str) -> str:
    """The database file that holds ``table``: ``sessions.json`` or ``meta.json``."""
    return SESSIONS_FILE if table in SESSION_TABLES else META_FILE
