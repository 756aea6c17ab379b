"""Logging filters named in settings.LOGGING."""

import logging


class OneLinePerJob(logging.Filter):
    """django-tasks logs every job twice at INFO: when it starts (state=RUNNING) and when it
    ends (state=SUCCESSFUL, or FAILED with the traceback). Keep only the line that says how
    it ended."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        started = isinstance(args, tuple) and len(args) == 3 and str(args[2]) == "RUNNING"
        return not (record.levelno == logging.INFO and started)
