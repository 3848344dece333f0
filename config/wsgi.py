import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from credit_platform.gcpause import freeze_startup_objects  # noqa: E402  (needs the app loaded first)

freeze_startup_objects()  # the start-up heap is never walked by the collector again: see credit_platform.gcpause
