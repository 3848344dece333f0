from credit_platform.models.accounts import ApiToken, Department, User
from credit_platform.models.operations import SweepRun, WorkerHeartbeat

__all__ = ["ApiToken", "Department", "SweepRun", "User", "WorkerHeartbeat"]
