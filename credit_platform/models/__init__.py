from credit_platform.models.accounts import ApiToken, Department, User

__all__ = ["ApiToken", "Department", "User"]
