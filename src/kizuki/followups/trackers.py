"""Issue trackers behind one small Protocol: GitHub Issues (PyGithub) and Jira Cloud (the
`jira` package). A team configures one (models.TrackerConfig); without one nothing is sent.

Every follow-up's issue carries its idempotency key in its body (GitHub) or as a label
(Jira), so a job that runs again finds the issue it created before instead of making a second.
Before each use the tracker's host is checked against Kizuki's outbound rules
(notify.outbound: no loopback or private network unless KIZUKI_OUTBOUND_ALLOW names it)."""

from dataclasses import dataclass
from typing import Any, Protocol

import requests
from github import Auth, Github, GithubException
from jira import JIRA, JIRAError

from kizuki.core import sealing
from kizuki.core.errors import InvalidInput
from kizuki.followups.models import TrackerConfig, TrackerKind
from kizuki.notify import outbound

TIMEOUT_SECONDS = 20
MARKER = "kizuki-followup"


class TrackerError(Exception):
    """The tracker did not answer as expected (refused, unreachable, misconfigured)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Issue:
    id: str  # GitHub: the number; Jira: the key (PAY-12)
    url: str  # for people: the issue's page
    closed: bool
    not_planned: bool = False  # closed without being done (GitHub "not planned", Jira "Won't Do")


class Tracker(Protocol):
    def create_issue(self, title: str, body: str, key: str) -> Issue: ...

    def find_issue(self, key: str) -> Issue | None: ...

    def issue_state(self, issue_id: str) -> Issue: ...


def _marker(key: str) -> str:
    return f"{MARKER}-{key}"


class GitHubIssues:
    """GitHub Issues of one repository ("owner/name"), through PyGithub; `base_url` is the API
    root (https://api.github.com, or GitHub Enterprise's /api/v3)."""

    def __init__(self, base_url: str, repository: str, token: str) -> None:
        client = Github(
            auth=Auth.Token(token) if token else None,
            base_url=base_url.rstrip("/"),
            timeout=TIMEOUT_SECONDS,
            retry=None,  # a job retries as a whole; the library must not sleep and resend
            seconds_between_requests=None,
            seconds_between_writes=None,
            lazy=True,
        )
        self.client = client
        self.repository = repository
        self.repo = client.get_repo(repository)

    def _issue(self, raw: Any) -> Issue:
        return Issue(
            id=str(raw.number),
            url=str(raw.html_url),
            closed=raw.state == "closed",
            not_planned=raw.state == "closed" and raw.state_reason == "not_planned",
        )

    def create_issue(self, title: str, body: str, key: str) -> Issue:
        text = f"{body}\n\n<!-- {_marker(key)} -->"
        return self._issue(self.repo.create_issue(title=title, body=text))

    def find_issue(self, key: str) -> Issue | None:
        query = f'"{_marker(key)}" repo:{self.repository} in:body is:issue'
        for found in self.client.search_issues(query):
            return self._issue(found)
        return None

    def issue_state(self, issue_id: str) -> Issue:
        return self._issue(self.repo.get_issue(int(issue_id)))


# Jira's status categories: a closed issue is in "done"; its resolution says whether it was.
NOT_DONE_RESOLUTIONS = {"won't do", "won't fix", "declined", "duplicate", "cannot reproduce"}


class JiraCloud:
    """Jira Cloud issues of one project, through the `jira` package (REST API v2), with an
    account's e-mail address and API token."""

    def __init__(
        self, base_url: str, project: str, account: str, token: str, issue_type: str
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.project = project
        self.issue_type = issue_type or "Task"
        self.client = JIRA(
            server=self.base_url,
            basic_auth=(account, token),
            timeout=TIMEOUT_SECONDS,
            max_retries=0,
            options={"check_update": False},
        )

    def _issue(self, raw: dict[str, Any]) -> Issue:
        fields = raw.get("fields") or {}
        status = (fields.get("status") or {}).get("statusCategory") or {}
        resolution = str((fields.get("resolution") or {}).get("name") or "").lower()
        closed = status.get("key") == "done"
        return Issue(
            id=str(raw["key"]),
            url=f"{self.base_url}/browse/{raw['key']}",
            closed=closed,
            not_planned=closed and resolution in NOT_DONE_RESOLUTIONS,
        )

    def create_issue(self, title: str, body: str, key: str) -> Issue:
        created = self.client.create_issue(
            fields={
                "project": {"key": self.project},
                "issuetype": {"name": self.issue_type},
                "summary": title,
                "description": body,
                "labels": [_marker(key)],
            },
            prefetch=False,
        )
        return Issue(id=str(created.key), url=f"{self.base_url}/browse/{created.key}", closed=False)

    def find_issue(self, key: str) -> Issue | None:
        jql = f'project = "{self.project}" AND labels = "{_marker(key)}"'
        found = self.client.enhanced_search_issues(
            jql, maxResults=1, fields=["status", "resolution"], json_result=True
        )
        issues = found.get("issues") if isinstance(found, dict) else None
        return self._issue(issues[0]) if issues else None

    def issue_state(self, issue_id: str) -> Issue:
        raw = self.client.issue(issue_id, fields="status,resolution").raw
        return self._issue(raw)


def tracker_for(config: TrackerConfig) -> Tracker:
    """The tracker a team configured, after checking its host may be reached (TrackerError
    otherwise, also for a token this SECRET_KEY cannot read)."""
    try:
        outbound.check_url(config.base_url, must_resolve=True)
    except InvalidInput as error:
        raise TrackerError(error.detail) from error
    token = config.token_sealed
    if sealing.is_sealed(token):
        raise TrackerError("no key in KIZUKI_ENCRYPTION_KEYS opens the stored token")
    try:
        if config.kind == TrackerKind.GITHUB:
            return GitHubIssues(config.base_url, config.project, token)
        return JiraCloud(config.base_url, config.project, config.account, token, config.issue_type)
    except (JIRAError, GithubException, requests.RequestException) as error:
        raise TrackerError(describe(error)) from error


def describe(error: Exception) -> str:
    """A short reason for the follow-up's page and the log (never the token)."""
    if isinstance(error, GithubException):
        message = error.data.get("message") if isinstance(error.data, dict) else None
        return f"GitHub answered {error.status}: {message or error.data}"[:500]
    if isinstance(error, JIRAError):
        return f"Jira answered {error.status_code}: {error.text}"[:500]
    return f"{type(error).__name__}: {error}"[:500]


CALL_ERRORS = (GithubException, JIRAError, requests.RequestException, ValueError, KeyError)
