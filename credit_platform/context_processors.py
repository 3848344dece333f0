from credit_platform.policies import active_policy


def platform(request):
    return {"credit_policy": active_policy()}
