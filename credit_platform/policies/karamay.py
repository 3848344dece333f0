from credit_platform.policies.base import PolicyProfile

KARAMAY = PolicyProfile(code="karamay", name="克拉玛依市社会信用条例")
