"""The error responses in the OpenAPI document, derived from what each operation takes.

Every error the API returns has the same shape, `{"detail": ..., "code": ...}`. Rather than
repeat it in every `response={...}`, the schema is post-processed here: each operation gets
the statuses its shape makes possible (see `error_statuses`), and any status an operation
declares itself without a body (`openapi_extra={"responses": {429: {"description": ...}}}`)
gets the error schema too. Statuses an operation documents with its own schema are kept.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

ERROR_SCHEMA_NAME = "Error"
ERROR_SCHEMA = {
    "title": ERROR_SCHEMA_NAME,
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in the user's language."},
        "code": {"type": "string", "description": "A stable code to branch on."},
    },
    "required": ["detail", "code"],
}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}
# Answered by the HTTP server in front of Django (gunicorn), for any address, in its own shape.
FRONT_SERVER_STATUSES = {414}
DESCRIPTIONS = {
    400: _(
        "The input cannot be read or is refused: malformed JSON, text that cannot be stored"
        " (a NUL character or a lone surrogate), nesting or numbers over the limits, or a"
        " value the action refuses."
    ),
    401: _("No valid API token or session."),
    403: _("The user may not do this (or the session request lacks its CSRF token)."),
    404: _(
        "The path or the body names something that does not exist (or that the user may not see)."
    ),
    409: _("The change conflicts with the current state."),
    413: _("The request body is over the size limit."),
    414: _("The address is longer than the server accepts (4,094 bytes); not JSON."),
    422: _("A parameter or a body field does not match the schema."),
    429: _("Too many requests; retry after the Retry-After header's seconds."),
    503: _("The database is unavailable; retry after the Retry-After header's seconds."),
}


class KizukiAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema


def document_errors(schema: dict[str, Any]) -> None:
    schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
    for methods in schema.get("paths", {}).values():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            declared = {int(status): status for status in responses}
            for status in sorted(error_statuses(method, operation) | _error_codes(declared)):
                response = responses.setdefault(declared.get(status, status), {})
                response.setdefault("description", str(DESCRIPTIONS.get(status, "")))
                if status not in FRONT_SERVER_STATUSES:
                    response.setdefault("content", {"application/json": {"schema": reference}})


def error_statuses(method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer with, from its method, auth and inputs."""
    parameters = operation.get("parameters", [])
    has_path = any(parameter.get("in") == "path" for parameter in parameters)
    has_body = "requestBody" in operation
    needs_auth = bool(operation.get("security"))
    unsafe = method.lower() in UNSAFE_METHODS
    # 400 everywhere: a NUL in any query string is refused, as is any unreadable body.
    statuses = {400, 503, *FRONT_SERVER_STATUSES}
    if parameters or has_body:
        statuses.add(422)
    if has_body:
        statuses.add(413)
    if has_path or (has_body and needs_auth):
        # Bodies name other things too (a service, a user, a policy) that may not exist.
        statuses.add(404)
    if needs_auth:
        statuses.add(401)
        if unsafe or has_path:
            statuses.add(403)
        if unsafe:
            statuses.add(409)
    return statuses


def _error_codes(declared: dict[int, Any]) -> set[int]:
    return {status for status in declared if status >= 400}
