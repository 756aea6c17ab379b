"""Who may do what to regulator-ready reports: whoever may read the incident reads them;
responders (who may change the incident) prepare, edit and record submission."""

from kizuki.accounts.access import Requester, require_role
from kizuki.accounts.models import OrgRole, User
from kizuki.incidents import access as incident_access
from kizuki.incidents.access import Need
from kizuki.incidents.models import Incident
from kizuki.reports import regulatory_queries as queries
from kizuki.reports.models import RegulatoryReport


def access_incident_reports(
    user: Requester | None, incident_ref: str | int, need: Need = Need.READ
) -> tuple[User, Incident]:
    """The incident `INC-3` whose reports someone reads (READ) or prepares (RESPOND)."""
    return incident_access.access_incident(user, incident_ref, need)


def access_report(
    user: Requester | None, report_id: int, need: Need = Need.READ
) -> tuple[User, RegulatoryReport]:
    """A report by id, if the person may do `need` to its incident."""
    person = require_role(user, OrgRole.VIEWER)  # refuse strangers before looking anything up
    report = queries.get_report(report_id)
    incident_access.check_incident(person, report.incident, need)
    return person, report
