"""Errors the domain raises for bad input: each carries a message fit to show the user."""


class InputError(ValueError):
    """Something the user typed or a file held cannot be used; the message says what and why."""
