"""Persistence: TinyDB files written atomically, in a folder only the user can read."""
