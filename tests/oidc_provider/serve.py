"""Start the test identity provider: migrate its SQLite, register the platform as a client, create its people,
then serve on 127.0.0.1:<port> (threaded) and print READY. Run by ``fixtures.py`` as a subprocess."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

import django

django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        """The provider's access log is of no interest to the tests."""


def main():
    port = int(sys.argv[1])
    call_command("migrate", verbosity=0, interactive=False)
    from oauth2_provider.models import get_application_model

    Application = get_application_model()
    Application.objects.update_or_create(client_id=os.environ["PROVIDER_CLIENT_ID"], defaults=dict(
        name="公共信用信息平台",
        client_secret=os.environ["PROVIDER_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["PROVIDER_REDIRECT_URIS"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    ))
    User = get_user_model()
    for username, person in settings.PROVIDER_PEOPLE.items():
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(person["password"])
        user.save()
    server = ThreadedWSGIServer(("127.0.0.1", port), QuietHandler)
    server.set_app(get_wsgi_application())
    print("READY", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
