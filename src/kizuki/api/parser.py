"""Every JSON body the API takes goes through the safe decoder, so unstorable text, absurd
numbers and deep nesting become a 400 naming the field instead of a 500."""

from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser

from kizuki.core import safe_json


class SafeJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return cast(dict[str, Any], safe_json.loads(request.body))
