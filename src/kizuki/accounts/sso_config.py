"""Reading the single sign-on settings: group → role and group → team maps.

Plain Python (no models) so the settings module can check them when the process starts:
a typo in a role name stops the server instead of quietly making everyone a viewer."""

import json

ROLES = ("viewer", "responder", "admin")


def group_map(text: str, variable: str) -> dict[str, str]:
    """`group=value,group=value`, or a JSON object when group names hold commas or `=`
    (LDAP-style names such as `cn=sre,ou=groups`)."""
    text = text.strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            found = json.loads(text)
        except json.JSONDecodeError as error:
            msg = f"{variable} is not valid JSON: {error}"
            raise ValueError(msg) from error
        if not isinstance(found, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in found.items()
        ):
            msg = f"{variable} must be a JSON object of strings"
            raise ValueError(msg)
        pairs = {key.strip(): value.strip() for key, value in found.items()}
    else:
        pairs = {}
        for item in text.split(","):
            group, sep, value = item.partition("=")
            if not sep or not group.strip() or not value.strip():
                msg = f"{variable}: {item.strip()!r} is not group=value"
                raise ValueError(msg)
            pairs[group.strip()] = value.strip()
    return pairs


def role_map(text: str, variable: str = "KIZUKI_OIDC_ROLE_MAP") -> dict[str, str]:
    pairs = group_map(text, variable)
    for group, role in pairs.items():
        if role not in ROLES:
            msg = f"{variable}: group {group!r} maps to {role!r}; use one of {', '.join(ROLES)}"
            raise ValueError(msg)
    return pairs


def default_role(text: str) -> str:
    """The role of someone in no mapped group; `none` (or empty) refuses them instead."""
    text = text.strip().lower()
    if text in {"", "none"}:
        return ""
    if text not in ROLES:
        msg = f"KIZUKI_OIDC_DEFAULT_ROLE is {text!r}; use none or one of {', '.join(ROLES)}"
        raise ValueError(msg)
    return text
