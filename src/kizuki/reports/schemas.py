"""The summary's query string, as the OpenAPI document shows it. Every field is text: the
period form (forms.filters_from) checks them, so bad input is a 400 naming the field."""

from ninja import Field, Schema


class SummaryQuery(Schema):
    start: str = Field("", alias="from", description="first day, YYYY-MM-DD (organisation's zone)")
    end: str = Field("", alias="to", description="last day, YYYY-MM-DD, inclusive")
    team: str = Field("", description="only this team (slug)")
    service: str = Field("", description="only this affected service (slug)")
    severity: str = Field("", description="only this severity level")
    cause: str = Field("", description="only this cause category (slug)")
    format: str = Field("json", description="json, or csv for one row per incident")
