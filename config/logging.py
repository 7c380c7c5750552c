"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging

# Refusals Serambi gives on purpose: a page a reader may not see, an action they may not take,
# a form's address opened as a page. Django logs each as a warning with the exception's
# traceback; one line at INFO says all there is to say, and leaves real warnings visible.
EXPECTED_REFUSALS = {403, 404, 405}


class ExpectedRefusalFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) not in EXPECTED_REFUSALS:
            return True
        record.levelno, record.levelname = logging.INFO, "INFO"
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return logging.getLogger(record.name).isEnabledFor(logging.INFO)
