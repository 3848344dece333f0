from credit_platform.models.accounts import ApiToken, Department, User
from credit_platform.models.calendar import CalendarDay, CalendarYear
from credit_platform.models.notices import StatutoryNotice
from credit_platform.models.notifications import Notification
from credit_platform.models.operations import SweepRun, WorkerHeartbeat

__all__ = [
    "ApiToken", "CalendarDay", "CalendarYear", "Department", "Notification", "StatutoryNotice", "SweepRun", "User",
    "WorkerHeartbeat",
]
