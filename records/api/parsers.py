"""orjson for the bulk path: parsing and rendering 5,000 records is a measurable share of a batch's time."""

from __future__ import annotations

import orjson
from rest_framework.renderers import BaseRenderer

from credit_platform.api.parsers import JSONParser


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)


class ORJSONParser(JSONParser):
    """orjson, size-limited and checked for NUL and depth (``credit_platform.api.parsers``)."""
