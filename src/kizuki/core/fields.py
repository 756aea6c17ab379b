"""Model fields that keep secrets sealed in the database (core.sealing) and plain in Python.

A value no configured key opens is left as it was stored (still `sealed:…`): pages keep
working, using it fails with a clear error, and `kizuki secrets check` lists it."""

from typing import Any

from django import forms
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from kizuki.core import sealing


class SealedTextField(models.TextField[str, str]):
    """Every non-empty value is stored sealed (an API token, a webhook secret)."""

    def should_seal(self, value: str) -> bool:
        return bool(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if isinstance(value, str) and self.should_seal(value) and not sealing.is_sealed(value):
            return sealing.seal(value)
        return value

    def from_db_value(
        self,
        value: str | None,
        expression: Expression,  # noqa: ARG002 - Django's signature
        connection: BaseDatabaseWrapper,  # noqa: ARG002
    ) -> str | None:
        if value and sealing.is_sealed(value):
            try:
                return sealing.unseal(value)
            except sealing.NotReadable:
                return value
        return value


class SecretAddressField(SealedTextField):
    """An address that may be an e-mail address, a Slack id or an Apprise URL: only URLs
    (which carry their service's tokens) are sealed, so addresses stay searchable. A single
    line in forms, `max_length` long."""

    def should_seal(self, value: str) -> bool:
        return "://" in value

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        # A one-line input, not TextField's text area.
        kwargs = {"max_length": self.max_length, **kwargs}
        return models.Field.formfield(self, form_class, choices_form_class, **kwargs)
