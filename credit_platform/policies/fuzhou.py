from credit_platform.policies.base import PolicyProfile

FUZHOU = PolicyProfile(code="fuzhou", name="福州市社会信用管理办法")
