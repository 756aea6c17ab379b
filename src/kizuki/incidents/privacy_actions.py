"""Who sees an incident: making it private or public, and its hand-picked participants
(incidents.visibility has the rule). Each action is one transaction with its timeline entry
and audit record, like incidents.actions."""

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core import clock
from kizuki.core.actions import record_audit
from kizuki.core.errors import NotFound
from kizuki.core.events import publish
from kizuki.incidents import events
from kizuki.incidents.actions import snapshot
from kizuki.incidents.journal import log_change
from kizuki.incidents.models import Incident, Participant


@transaction.atomic
def set_private(actor: User | None, incident: Incident, private: bool) -> Incident:
    """Make the incident private (only its participants and admins see it) or public again;
    on the timeline and in the audit log. Allowed on a finished incident too: whether the
    record is restricted may be decided after the fact."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.private == private:
        return incident
    before = snapshot(incident)
    incident.private = private
    incident.updated_at = clock.now()
    incident.save(update_fields=["private", "updated_at"])
    log_change(incident, actor, "made_private" if private else "made_public")
    record_audit(actor, "incident.privacy", incident, before=before, after=snapshot(incident))
    publish(events.PrivacyChanged(incident.pk, actor.pk if actor else None, private))
    return incident


@transaction.atomic
def add_participant(actor: User | None, incident: Incident, user: User) -> Participant:
    """Let `user` see the incident while it is private (adding twice changes nothing)."""
    Incident.objects.select_for_update().get(pk=incident.pk)
    found = Participant.objects.filter(incident=incident, user=user).first()
    if found:
        return found
    participant = Participant.objects.create(
        incident=incident, user=user, added_at=clock.now(), added_by=actor
    )
    log_change(incident, actor, "participant_added", user=user.username)
    record_audit(actor, "incident.add_participant", incident, after={"user": user.username})
    return participant


@transaction.atomic
def remove_participant(actor: User | None, incident: Incident, user: User) -> None:
    """Take back a participant added by hand (the reporter, role holders and the people paged
    stay participants whatever this list says)."""
    Incident.objects.select_for_update().get(pk=incident.pk)
    deleted, _rows = Participant.objects.filter(incident=incident, user=user).delete()
    if not deleted:
        raise NotFound(
            _("%(user)s is not a participant of %(ref)s.")
            % {"user": user.username, "ref": incident.ref}
        )
    log_change(incident, actor, "participant_removed", user=user.username)
    record_audit(actor, "incident.remove_participant", incident, before={"user": user.username})
