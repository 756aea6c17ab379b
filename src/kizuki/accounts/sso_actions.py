"""The write path of single sign-on: the person a provider vouches for, with the role and
teams their groups give them. Runs on every SSO login, so a change of groups at the provider
takes effect at the next login."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kizuki.accounts.models import ROLE_RANK, Membership, OrgRole, Team, User
from kizuki.core.actions import record_audit
from kizuki.core.errors import NotAllowed

MAX_USERNAME = 150


@dataclass(frozen=True)
class SsoPerson:
    """What the provider said about someone, already read from its claims."""

    subject: str
    username: str
    email: str
    display_name: str
    groups: frozenset[str]


def role_for(groups: frozenset[str], role_map: dict[str, str], default_role: str) -> OrgRole:
    """The highest role any of the groups maps to; `default_role` when none is mapped
    (empty: such a person is refused)."""
    mapped = [OrgRole(role_map[group]) for group in groups if group in role_map]
    if mapped:
        return max(mapped, key=lambda role: ROLE_RANK[role])
    if not default_role:
        raise NotAllowed(
            _(
                "Your account at the sign-in service is in no group that may use Kizuki."
                " Ask an administrator to add you to one."
            )
        )
    return OrgRole(default_role)


def _free_username(wanted: str, subject: str) -> str:
    """`wanted`, or `wanted-2`, `-3`… when a different SSO person already has it."""
    base = wanted[:MAX_USERNAME]
    candidate = base
    for number in range(2, 100):
        holder = User.objects.filter(username=candidate).first()
        if holder is None or holder.oidc_subject in {None, subject}:
            return candidate
        candidate = f"{base[: MAX_USERNAME - 4]}-{number}"
    raise NotAllowed(_("No free username for %(name)s.") % {"name": wanted})


@transaction.atomic
def sign_in_with_sso(
    person: SsoPerson,
    *,
    role_map: dict[str, str],
    team_map: dict[str, str],
    default_role: str,
) -> User:
    """Find (or make) the user the provider's subject belongs to and bring their name, e-mail,
    role and mapped team memberships in line with the provider.

    A local account with the same username and no SSO subject yet is linked, so people keep
    their history when an installation moves from passwords to SSO."""
    role = role_for(person.groups, role_map, default_role)
    user = User.objects.select_for_update().filter(oidc_subject=person.subject).first()
    if user is None:
        username = _free_username(person.username, person.subject)
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_unusable_password()
            action = "user.sso_create"
        else:
            action = "user.sso_link"
        user.oidc_subject = person.subject
    else:
        action = "user.sso_login"
    if not user.is_active:
        raise NotAllowed(_("This account has been deactivated in Kizuki."))
    before = {"org_role": user.org_role, "email": user.email, "name": user.first_name}
    user.email = person.email or user.email
    user.first_name = (person.display_name or user.first_name)[:150]
    user.org_role = role
    # As for accounts made by `kizuki user create`: admins may open the settings pages.
    user.is_staff = user.is_superuser = role == OrgRole.ADMIN
    user.save()
    after = {"org_role": user.org_role, "email": user.email, "name": user.first_name}
    teams = _sync_teams(user, person.groups, team_map)
    if action != "user.sso_login" or before != after or teams:
        record_audit(user, action, user, before=before, after={**after, **teams})
    return user


def _sync_teams(
    user: User, groups: frozenset[str], team_map: dict[str, str]
) -> dict[str, list[str]]:
    """Join the teams the groups map to, leave mapped teams whose group is gone. Teams no group
    maps to are managed in Kizuki and left alone."""
    if not team_map:
        return {}
    wanted = {slug for group, slug in team_map.items() if group in groups}
    managed = set(team_map.values())
    teams = {team.slug: team for team in Team.objects.filter(slug__in=managed)}
    current = set(
        Membership.objects.filter(user=user, team__slug__in=managed).values_list(
            "team__slug", flat=True
        )
    )
    joined = sorted((wanted - current) & teams.keys())
    left = sorted(current - wanted)
    for slug in joined:
        Membership.objects.create(user=user, team=teams[slug])
    Membership.objects.filter(user=user, team__slug__in=left).delete()
    changes: dict[str, list[str]] = {}
    if joined:
        changes["joined_teams"] = joined
    if left:
        changes["left_teams"] = left
    return changes
