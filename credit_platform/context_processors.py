from credit_platform.policies import active_policy
from credit_platform.policies.validity import validity_notice


def platform(request):
    policy = active_policy()
    # Shown in the admin banner and on /rules/: an instrument out of force is never applied silently.
    return {"credit_policy": policy, "credit_policy_notice": validity_notice(policy)}
