"""The programme's writes: the weekly email's opt-out and the training sessions."""

from programme.services.training import (
    RegistrationRefused,
    attendance_check_in,
    attendance_set,
    calendar_feed_get,
    calendar_feed_reset,
    certificate_issue,
    evaluation_submit,
    evaluations_invite,
    registration_cancel,
    registration_register,
    reminders_send,
    session_saved,
)
from programme.services.weekly import weekly_report_stop

__all__ = [
    "RegistrationRefused",
    "attendance_check_in",
    "attendance_set",
    "calendar_feed_get",
    "calendar_feed_reset",
    "certificate_issue",
    "evaluation_submit",
    "evaluations_invite",
    "registration_cancel",
    "registration_register",
    "reminders_send",
    "session_saved",
    "weekly_report_stop",
]
