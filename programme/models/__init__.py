from programme.models.training import (
    Attendance,
    CalendarFeed,
    Certificate,
    Evaluation,
    Material,
    Meeting,
    MeetingReminder,
    Registration,
    SessionReading,
    SessionTrainer,
    TrainingSession,
)
from programme.models.weekly import WeeklyReport, WeeklyReportOptOut

__all__ = [
    "Attendance",
    "CalendarFeed",
    "Certificate",
    "Evaluation",
    "Material",
    "Meeting",
    "MeetingReminder",
    "Registration",
    "SessionReading",
    "SessionTrainer",
    "TrainingSession",
    "WeeklyReport",
    "WeeklyReportOptOut",
]
