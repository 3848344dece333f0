from credit_platform.policies.base import PolicyProfile

ZHANGYE = PolicyProfile(code="zhangye", name="张掖市社会信用体系建设条例（草案）")
