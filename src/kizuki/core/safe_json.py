"""Decode JSON request bodies that the database and the rest of the code can take safely.

Python's json module accepts things no sender should send and our storage cannot hold: lone
UTF-16 surrogates (`"\\ud800"`), NUL characters (PostgreSQL refuses them in text),
`NaN`/`Infinity`, numbers too long to convert, and nesting deep enough to exhaust the stack.
`loads` refuses all of these with `InvalidInput` naming the field, so a client gets a 400
that says what to change instead of a 500 with nothing stored.
"""

import json
import math
import sys
from typing import Any

from django.utils.translation import gettext as _

from kizuki.core.errors import InvalidInput

# Real payloads (Alertmanager, Events API v2, our own API) nest fewer than ten levels; 64
# leaves room for any sender's custom details while keeping every walk over the value cheap.
MAX_DEPTH = 64
NUL = "\x00"


def loads(body: bytes | str, *, strip_nul: bool = False) -> Any:
    """Decode a JSON body, refusing what cannot be stored; with strip_nul, NULs are removed
    instead of refused (for senders that would otherwise retry the same payload forever)."""
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8-sig")  # a leading byte-order mark is harmless: skip it
        except UnicodeDecodeError:
            raise InvalidInput(_("The request body is not valid UTF-8 text.")) from None
    try:
        value = json.loads(body, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        # The C decoder recurses per level and gives up near 1,000; `clean` enforces MAX_DEPTH.
        raise _too_deep() from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            _("The request body is not valid JSON: %(reason)s (line %(line)d, column %(column)d).")
            % {"reason": error.msg, "line": error.lineno, "column": error.colno}
        ) from None
    except ValueError:
        # int() refuses numbers longer than sys.get_int_max_str_digits() (4,300 by default).
        raise InvalidInput(
            _("A number in the request body has more than %(limit)d digits.")
            % {"limit": sys.get_int_max_str_digits()}
        ) from None
    return clean(value, strip_nul=strip_nul)


def clean(value: Any, *, strip_nul: bool = False) -> Any:
    """Check every key and string in a decoded value, iteratively (never recursing, whatever
    the depth); returns the value with NULs removed when strip_nul is set."""
    if isinstance(value, str):
        return _clean_text(value, "body", strip_nul)
    pending: list[tuple[Any, str, int]] = [(value, "", 1)]
    while pending:
        container, path, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise _too_deep()
        if isinstance(container, dict):
            items = list(container.items())
            container.clear()
            for raw_key, item in items:
                shown = f"{path}.{_shown(raw_key)}" if path else _shown(raw_key)
                key = _clean_text(raw_key, shown, strip_nul)
                where = f"{path}.{key}" if path else key
                container[key] = _cleaned_item(item, where, depth, pending, strip_nul)
        elif isinstance(container, list):
            for index, item in enumerate(container):
                where = f"{path}[{index}]"
                container[index] = _cleaned_item(item, where, depth, pending, strip_nul)
    return value


def _cleaned_item(
    item: Any, where: str, depth: int, pending: list[tuple[Any, str, int]], strip_nul: bool
) -> Any:
    if isinstance(item, str):
        return _clean_text(item, where, strip_nul)
    if isinstance(item, dict | list):
        pending.append((item, where, depth + 1))
    return item


def _clean_text(text: str, where: str, strip_nul: bool) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            _(
                'Field "%(field)s" contains a lone UTF-16 surrogate (such as \\ud800), which'
                " is not valid Unicode text; send complete surrogate pairs only."
            )
            % {"field": where}
        ) from None
    if NUL in text:
        if strip_nul:
            return text.replace(NUL, "")
        raise InvalidInput(
            _(
                'Field "%(field)s" contains a NUL character (\\u0000), which cannot be stored;'
                " remove it."
            )
            % {"field": where}
        )
    return text


def _shown(key: str) -> str:
    # A key named in an error message must itself be printable.
    return key.encode("utf-8", "replace").decode().replace(NUL, "\\u0000")


def _refuse_constant(name: str) -> Any:
    raise InvalidInput(
        _("%(literal)s is not valid JSON; send a number, a string or null instead.")
        % {"literal": name}
    )


def _finite_float(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):
        # 1e999 overflows to infinity, which JSON cannot carry back out.
        raise InvalidInput(_("The number %(number)s is too large.") % {"number": literal[:40]})
    return number


def _too_deep() -> InvalidInput:
    return InvalidInput(
        _("The request body nests deeper than %(limit)d levels.") % {"limit": MAX_DEPTH}
    )
