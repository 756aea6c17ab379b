"""The Slack workspace the stub pretends to be — users, channels, messages — and the Web API
methods it answers, each a function of the workspace and the call's parameters returning the
fields of an `{"ok": true, ...}` answer, or raising SlackError for `{"ok": false, ...}`."""

import itertools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TEAM_ID = "T0KIZUKI"
BOT_USER_ID = "U0KIZUKIBOT"
BOT_ID = "B0KIZUKI"
WORKSPACE_URL = "https://kizuki-test.slack.com/"
CHANNEL_NAME = re.compile(r"[\w-]+")  # Slack: lower case letters (any script), digits, - and _
Json = dict[str, Any]


@dataclass
class SlackUser:
    id: str
    name: str
    email: str
    real_name: str = ""
    tz: str = "Asia/Tokyo"

    def as_json(self) -> Json:
        profile = {
            "email": self.email,
            "display_name": self.name,
            "real_name": self.real_name or self.name,
        }
        return {
            "id": self.id,
            "team_id": TEAM_ID,
            "name": self.name,
            "real_name": self.real_name or self.name,
            "deleted": False,
            "is_bot": False,
            "tz": self.tz,
            "profile": profile,
        }


@dataclass
class Channel:
    id: str
    name: str
    created: int
    is_private: bool = False
    is_im: bool = False
    archived: bool = False
    topic: str = ""
    members: set[str] = field(default_factory=lambda: {BOT_USER_ID})
    pins: list[str] = field(default_factory=list)
    messages: list[Json] = field(default_factory=list)

    def as_json(self) -> Json:
        if self.is_im:
            return {"id": self.id, "is_im": True, "user": next(iter(self.members - {BOT_USER_ID}))}
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private,
            "is_private": self.is_private,
            "created": self.created,
            "creator": BOT_USER_ID,
            "is_archived": self.archived,
            "is_general": False,
            "is_member": BOT_USER_ID in self.members,
            "num_members": len(self.members),
            "topic": {"value": self.topic, "creator": BOT_USER_ID, "last_set": self.created},
            "purpose": {"value": "", "creator": "", "last_set": 0},
        }


class SlackError(Exception):
    """Raised inside a method handler: the stub answers `{"ok": false, "error": code}`."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra


class Workspace:
    """The state behind the stub; callers hold `lock` while they read or change it."""

    def __init__(self) -> None:
        self.users: dict[str, SlackUser] = {}
        self.channels: dict[str, Channel] = {}
        self.ids = itertools.count(1)
        self.ts = itertools.count(1)
        self.lock = threading.RLock()

    def next_ts(self) -> str:
        return f"1764032400.{next(self.ts):06d}"

    def new_channel(self, name: str, *, is_private: bool = False) -> Channel:
        channel = Channel(f"C{next(self.ids):08d}", name, 1764032400, is_private=is_private)
        self.channels[channel.id] = channel
        return channel

    def channel(self, params: Json, key: str = "channel") -> Channel:
        wanted = str(params.get(key, ""))
        channel = self.channels.get(wanted) or next(
            (c for c in self.channels.values() if c.name and c.name == wanted.lstrip("#")), None
        )
        if channel is None:
            raise SlackError("channel_not_found")
        return channel

    def user(self, user_id: str) -> SlackUser:
        if user_id not in self.users:
            raise SlackError("user_not_found")
        return self.users[user_id]


def _words(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return [item for item in str(value or "").split(",") if item]


# -- the methods ------------------------------------------------------------------------------
def _auth_test(stub: Workspace, params: Json) -> Json:
    return {
        "url": WORKSPACE_URL,
        "team": "Kizuki Test",
        "user": "kizuki",
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


def _conversations_create(stub: Workspace, params: Json) -> Json:
    name = str(params.get("name", ""))
    if not name:
        raise SlackError("invalid_name_required")
    if len(name) > 80:
        raise SlackError("invalid_name_maxlength")
    if name != name.lower() or not CHANNEL_NAME.fullmatch(name):
        raise SlackError("invalid_name_specials")
    if any(channel.name == name for channel in stub.channels.values()):
        raise SlackError("name_taken")
    private = str(params.get("is_private", "")).lower() in {"1", "true"}
    return {"channel": stub.new_channel(name, is_private=private).as_json()}


def _open_channel(stub: Workspace, params: Json) -> Channel:
    channel = stub.channel(params)
    if channel.archived:
        raise SlackError("is_archived")
    return channel


def _conversations_invite(stub: Workspace, params: Json) -> Json:
    channel = _open_channel(stub, params)
    users = _words(params.get("users"))
    if not users:
        raise SlackError("no_user")
    unknown = [user for user in users if user not in stub.users]
    force = str(params.get("force", "")).lower() in {"1", "true"}
    errors = [{"user": user, "ok": False, "error": "user_not_found"} for user in unknown]
    if unknown and not force:
        raise SlackError("user_not_found", errors=errors)
    known = [user for user in users if user in stub.users]
    if known and all(user in channel.members for user in known) and not force:
        raise SlackError("already_in_channel")
    channel.members |= set(known)
    return {"channel": channel.as_json(), **({"errors": errors} if errors else {})}


def _conversations_set_topic(stub: Workspace, params: Json) -> Json:
    channel = _open_channel(stub, params)
    topic = str(params.get("topic", ""))
    if len(topic) > 250:
        raise SlackError("too_long")
    channel.topic = topic
    return {"channel": channel.as_json()}


def _conversations_archive(stub: Workspace, params: Json) -> Json:
    channel = stub.channel(params)
    if channel.archived:
        raise SlackError("already_archived")
    channel.archived = True
    return {}


def _conversations_info(stub: Workspace, params: Json) -> Json:
    return {"channel": stub.channel(params).as_json()}


def _conversations_open(stub: Workspace, params: Json) -> Json:
    users = _words(params.get("users"))
    if len(users) != 1:
        raise SlackError("not_enough_users" if not users else "too_many_users")
    stub.user(users[0])
    im_id = "D" + users[0].removeprefix("U")
    if im_id not in stub.channels:
        stub.channels[im_id] = Channel(im_id, "", 1764032400, is_im=True)
        stub.channels[im_id].members.add(users[0])
    return {"channel": stub.channels[im_id].as_json()}


def _conversations_join(stub: Workspace, params: Json) -> Json:
    channel = _open_channel(stub, params)
    channel.members.add(BOT_USER_ID)
    return {"channel": channel.as_json()}


def _chat_post_message(stub: Workspace, params: Json) -> Json:
    channel = _open_channel(stub, params)
    if not params.get("text") and not params.get("blocks") and not params.get("attachments"):
        raise SlackError("no_text")
    ts = stub.next_ts()
    message: Json = {"type": "message", "ts": ts, "user": BOT_USER_ID, "bot_id": BOT_ID}
    message.update({key: params[key] for key in ("text", "blocks", "thread_ts") if key in params})
    channel.messages.append(message)
    return {"channel": channel.id, "ts": ts, "message": message}


def _chat_update(stub: Workspace, params: Json) -> Json:
    channel = _open_channel(stub, params)
    return {"channel": channel.id, "ts": params.get("ts", ""), "text": params.get("text", "")}


def _chat_post_ephemeral(stub: Workspace, params: Json) -> Json:
    _open_channel(stub, params)
    return {"message_ts": stub.next_ts()}


def _message(channel: Channel, ts: str) -> Json:
    found = next((m for m in channel.messages if m["ts"] == ts), None)
    if found is None:
        raise SlackError("message_not_found")
    return found


def _pins_add(stub: Workspace, params: Json) -> Json:
    channel = _open_channel(stub, params)
    ts = str(params.get("timestamp", ""))
    _message(channel, ts)
    if ts in channel.pins:
        raise SlackError("already_pinned")
    channel.pins.append(ts)
    return {}


def _users_info(stub: Workspace, params: Json) -> Json:
    return {"user": stub.user(str(params.get("user", ""))).as_json()}


def _users_lookup_by_email(stub: Workspace, params: Json) -> Json:
    email = str(params.get("email", "")).lower()
    user = next((u for u in stub.users.values() if u.email.lower() == email), None)
    if user is None:
        raise SlackError("users_not_found")
    return {"user": user.as_json()}


def _views_open(stub: Workspace, params: Json) -> Json:
    view = params.get("view", {})
    view = json.loads(view) if isinstance(view, str) else view
    return {"view": {"id": f"V{next(stub.ids):08d}", "team_id": TEAM_ID, **view}}


def _chat_get_permalink(stub: Workspace, params: Json) -> Json:
    channel = stub.channel(params)
    ts = str(params.get("message_ts", ""))
    permalink = f"{WORKSPACE_URL}archives/{channel.id}/p{ts.replace('.', '')}"
    return {"channel": channel.id, "permalink": permalink}


def _conversations_history(stub: Workspace, params: Json) -> Json:
    channel = stub.channel(params)
    inclusive = str(params.get("inclusive", "")).lower() in {"1", "true"}
    latest, oldest = str(params.get("latest", "")), str(params.get("oldest", ""))

    def within(ts: str) -> bool:
        after = not oldest or ts > oldest or (inclusive and ts == oldest)
        before = not latest or ts < latest or (inclusive and ts == latest)
        return after and before

    top = [
        m for m in channel.messages if within(m["ts"]) and m.get("thread_ts", m["ts"]) == m["ts"]
    ]
    top.sort(key=lambda m: m["ts"], reverse=True)
    limit = int(params.get("limit") or 100)
    return {"messages": top[:limit], "has_more": len(top) > limit}


def _conversations_replies(stub: Workspace, params: Json) -> Json:
    channel = stub.channel(params)
    ts = str(params.get("ts", ""))
    parent = _message(channel, ts)
    replies = [m for m in channel.messages if m.get("thread_ts") == ts and m["ts"] != ts]
    return {"messages": [parent, *sorted(replies, key=lambda m: m["ts"])], "has_more": False}


def _conversations_list(stub: Workspace, params: Json) -> Json:
    """One page of the workspace's channels (no direct messages)."""
    skip_archived = str(params.get("exclude_archived", "")).lower() in {"1", "true"}
    channels = [
        c.as_json()
        for c in stub.channels.values()
        if not c.is_im and not (skip_archived and c.archived)
    ]
    return {"channels": channels, "response_metadata": {"next_cursor": ""}}


METHODS: dict[str, Callable[[Workspace, Json], Json]] = {
    "auth.test": _auth_test,
    "conversations.create": _conversations_create,
    "conversations.invite": _conversations_invite,
    "conversations.setTopic": _conversations_set_topic,
    "conversations.archive": _conversations_archive,
    "conversations.info": _conversations_info,
    "conversations.open": _conversations_open,
    "conversations.join": _conversations_join,
    "conversations.history": _conversations_history,
    "conversations.replies": _conversations_replies,
    "conversations.list": _conversations_list,
    "chat.postMessage": _chat_post_message,
    "chat.update": _chat_update,
    "chat.postEphemeral": _chat_post_ephemeral,
    "chat.getPermalink": _chat_get_permalink,
    "pins.add": _pins_add,
    "users.info": _users_info,
    "users.lookupByEmail": _users_lookup_by_email,
    "views.open": _views_open,
    "views.push": _views_open,
    "views.update": _views_open,
}
