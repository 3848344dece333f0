from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class GovernmentIdentityValidator(OAuth2Validator):
    """The claims a government identity platform puts in the ID token: real name, ID number, assurance level, and
    for a legal-person login the enterprise's USCC and name."""

    oidc_claim_scope = None  # every claim below goes into the ID token and userinfo

    def get_additional_claims(self, request):
        person = settings.PROVIDER_PEOPLE.get(request.user.username, {})
        return dict(person.get("claims", {}))
