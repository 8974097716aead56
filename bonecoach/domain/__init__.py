"""Pure domain logic: pydantic models and functions. No Textual, no TinyDB, no clock, no files."""
