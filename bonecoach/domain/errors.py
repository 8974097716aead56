"""Errors the domain raises for bad input: each carries a message fit to show the user."""


class InputError(ValueError):
    """Something the user typed or a file held cannot be used; the message says what and why.

    ``field`` names the form field at fault when there is one, so a form can show the message
    beside it."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
