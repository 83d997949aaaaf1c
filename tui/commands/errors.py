"""The one exception a command raises for a mistake the user can fix."""


class CommandError(Exception):
    """Printed as ``claimdesk: <message>`` with exit code 2; no traceback."""
