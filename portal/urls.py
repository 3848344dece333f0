"""The portal's routes, kept under the URL names they have always had: ``config/urls.py`` puts each list in front of
the routes of the app whose namespace it belongs to (``disclosure:my-record``, ``sanctions:mine`` …), so every path
and every name stays as it was."""

from django.urls import path

from credit_platform.api import converters  # noqa: F401 - registers <id:…>, the bounded id converter
from portal import views

#: Mounted at the site root, in the ``disclosure`` namespace.
disclosure_patterns = [
    path("my/", views.my_record, name="my-record"),
]

#: Mounted at ``lists/``, in the ``sanctions`` namespace.
sanctions_patterns = [
    path("mine/", views.lists_mine, name="mine"),
    path("mine/severe/<id:pk>/", views.my_severe, name="my-severe"),
    path("mine/severe/<id:pk>/<str:kind>.pdf", views.my_document, name="my-document"),
]
