from credit_platform.policies.base import PolicyProfile

HEILONGJIANG = PolicyProfile(code="heilongjiang", name="黑龙江省社会信用条例（征求意见稿）")
