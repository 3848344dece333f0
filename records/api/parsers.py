"""orjson for the bulk path: parsing and rendering 5,000 records is a measurable share of a batch's time."""

from __future__ import annotations

import orjson
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)


class ORJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        return orjson.loads(stream.read())
