from credit_platform.policies.base import PolicyProfile

QUFU = PolicyProfile(code="qufu", name="曲阜市社会信用管理办法（试行）")
