"""Errors that mean "the user asked for something invalid": the CLI prints them on one line
and exits with status 2."""


class UsageError(Exception):
    """Bad input from the user: a wrong parameter, a malformed file, an unknown name."""
