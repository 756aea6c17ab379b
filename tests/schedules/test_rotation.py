"""Who is on call, asked through the API: rotations, shift lengths, daylight-saving changes,
overrides, later layers and Japanese public holidays."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Api, MovableClock
from tests.schedules.support import create, layer, local, on_call, people, set_clock

pytestmark = pytest.mark.django_db

TOKYO = "Asia/Tokyo"
ROTA = ["ana", "ben", "chie"]


def test_people_take_turns_one_shift_each(responder_api: Api) -> None:
    people()
    schedule = create(responder_api, [layer(ROTA, "1d", start="2026-11-01")])["id"]

    def who(wall_clock: str) -> list[str]:
        return on_call(responder_api, schedule, local(TOKYO, wall_clock))

    assert who("2026-11-01 08:59") == []  # before the rotation starts
    assert who("2026-11-01 09:00") == ["ana"]
    assert who("2026-11-02 08:59") == ["ana"]
    assert who("2026-11-02 09:00") == ["ben"]
    assert who("2026-11-03 23:00") == ["chie"]
    assert who("2026-11-04 09:00") == ["ana"]


def test_on_call_now_and_the_preview_follow_the_clock(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    people()
    body = create(responder_api, [layer(ROTA, "1d", start="2026-11-01")])
    # 2026-11-25 01:00 UTC is 10:00 in Tokyo: day 24 of the rotation, ana's turn.
    answer = responder_api.get(f"/schedules/{body['id']}/oncall").json()
    assert answer["users"] == ["ana"]
    assert datetime.fromisoformat(answer["at"]) == frozen_clock.now

    preview = body["preview"]
    assert preview[0]["user"] == "ana"
    assert preview[0]["starts_at"] == "2026-11-25T01:00:00Z"
    assert [shift["user"] for shift in preview[1:4]] == ["ben", "chie", "ana"]
    # Asia/Tokyo has no daylight saving: every hand-off is at 00:00 UTC.
    for shift in preview[1:]:
        assert shift["starts_at"].endswith("T00:00:00Z"), shift
    assert preview[-1]["ends_at"] == "2026-12-09T01:00:00Z"  # 14 days

    frozen_clock.advance(days=1)
    assert responder_api.get(f"/schedules/{body['id']}/oncall").json()["users"] == ["ben"]


# (zone, spring-forward Sunday, fall-back Sunday) in 2026.
DST = [
    ("America/New_York", date(2026, 3, 8), date(2026, 11, 1)),
    ("Europe/London", date(2026, 3, 29), date(2026, 10, 25)),
]


@pytest.mark.parametrize(("zone", "spring", "autumn"), DST)
def test_daily_handoff_stays_at_nine_local_across_daylight_saving(
    responder_api: Api, frozen_clock: MovableClock, zone: str, spring: date, autumn: date
) -> None:
    people()
    start = date(2026, 3, 1)
    schedule = create(responder_api, [layer(ROTA, "1d", start=start.isoformat())], zone=zone)
    for day in (spring, spring + timedelta(days=1), autumn, autumn + timedelta(days=1)):
        turn = (day - start).days
        before = on_call(responder_api, schedule["id"], local(zone, f"{day} 08:59"))
        after = on_call(responder_api, schedule["id"], local(zone, f"{day} 09:01"))
        assert before == [ROTA[(turn - 1) % 3]], day
        assert after == [ROTA[turn % 3]], day

    # The preview shows the same thing: 09:00 hand-offs, and a 23- or 25-hour shift over
    # the change.
    for sunday, hours in ((spring, 23), (autumn, 25)):
        set_clock(frozen_clock, datetime.combine(sunday - timedelta(days=3), time(), UTC))
        preview = responder_api.get(f"/schedules/{schedule['id']}").json()["preview"]
        for shift in preview[1:]:
            starts = datetime.fromisoformat(shift["starts_at"]).astimezone(ZoneInfo(zone))
            assert (starts.hour, starts.minute) == (9, 0), shift
        over_change = next(
            s for s in preview if s["starts_at"].startswith(str(sunday - timedelta(days=1)))
        )
        length = datetime.fromisoformat(over_change["ends_at"]) - datetime.fromisoformat(
            over_change["starts_at"]
        )
        assert length == timedelta(hours=hours), over_change


def test_handoffs_in_the_skipped_or_repeated_hour_happen_once_and_predictably(
    responder_api: Api,
) -> None:
    people()
    zone = "America/New_York"
    spring = create(
        responder_api,
        [layer(["ana", "ben"], "1d", handoff_time="02:30", start="2026-03-07")],
        zone=zone,
        name="Spring",
    )["id"]
    # 02:30 does not exist on 2026-03-08: the hand-off happens as the clocks jump, at 03:00 EDT.
    assert on_call(responder_api, spring, datetime(2026, 3, 8, 6, 59, tzinfo=UTC)) == ["ana"]
    assert on_call(responder_api, spring, datetime(2026, 3, 8, 7, 0, tzinfo=UTC)) == ["ben"]

    autumn = create(
        responder_api,
        [layer(["ana", "ben"], "1d", handoff_time="01:30", start="2026-10-31")],
        zone=zone,
        name="Autumn",
    )["id"]
    # 01:30 happens twice on 2026-11-01: the hand-off is at the first (EDT), not again at EST.
    assert on_call(responder_api, autumn, datetime(2026, 11, 1, 5, 29, tzinfo=UTC)) == ["ana"]
    assert on_call(responder_api, autumn, datetime(2026, 11, 1, 5, 30, tzinfo=UTC)) == ["ben"]
    assert on_call(responder_api, autumn, datetime(2026, 11, 1, 6, 45, tzinfo=UTC)) == ["ben"]


def test_twelve_hour_shifts_hand_off_at_nine_and_twenty_one_across_spring_forward(
    responder_api: Api,
) -> None:
    people()
    zone = "America/New_York"
    schedule = create(responder_api, [layer(["ana", "ben"], "12h", start="2026-03-01")], zone=zone)[
        "id"
    ]
    assert on_call(responder_api, schedule, local(zone, "2026-03-07 20:59")) == ["ana"]
    assert on_call(responder_api, schedule, local(zone, "2026-03-07 21:01")) == ["ben"]
    assert on_call(responder_api, schedule, local(zone, "2026-03-08 08:59")) == ["ben"]
    assert on_call(responder_api, schedule, local(zone, "2026-03-08 09:01")) == ["ana"]
    assert on_call(responder_api, schedule, local(zone, "2026-03-08 21:01")) == ["ben"]


def test_weekly_and_ninety_minute_shifts(responder_api: Api) -> None:
    people()
    weekly = create(
        responder_api,
        [layer(ROTA, "1w", handoff_time="10:00", start="2026-11-02")],
        name="Weekly",
    )
    assert weekly["layers"][0]["shift_length"] == "1w"
    assert weekly["layers"][0]["shift_seconds"] == 7 * 86400
    assert on_call(responder_api, weekly["id"], local(TOKYO, "2026-11-09 09:59")) == ["ana"]
    assert on_call(responder_api, weekly["id"], local(TOKYO, "2026-11-09 10:00")) == ["ben"]
    assert on_call(responder_api, weekly["id"], local(TOKYO, "2026-11-16 10:00")) == ["chie"]
    assert on_call(responder_api, weekly["id"], local(TOKYO, "2026-11-23 10:00")) == ["ana"]

    short = create(responder_api, [layer(["ana", "ben"], "90m", start="2026-11-02")], name="Short")
    assert short["layers"][0]["shift_length"] == "1h30m"
    assert on_call(responder_api, short["id"], local(TOKYO, "2026-11-02 10:29")) == ["ana"]
    assert on_call(responder_api, short["id"], local(TOKYO, "2026-11-02 10:30")) == ["ben"]
    assert on_call(responder_api, short["id"], local(TOKYO, "2026-11-02 12:00")) == ["ana"]


def test_an_override_wins_while_it_lasts(responder_api: Api, frozen_clock: MovableClock) -> None:
    people()
    schedule = create(
        responder_api, [layer(["ana", "ben"], "1w", start="2026-11-23", name="Weekly")]
    )["id"]
    noon, six = local(TOKYO, "2026-11-25 12:00"), local(TOKYO, "2026-11-25 18:00")
    response = responder_api.post(
        f"/schedules/{schedule}/overrides",
        {"user": "dai", "starts_at": noon.isoformat(), "ends_at": six.isoformat()},
    )
    assert response.status_code == 201, response.json()
    override = response.json()
    assert override["user"] == "dai"
    assert override["created_by"] == "rei"

    assert on_call(responder_api, schedule, noon - timedelta(minutes=1)) == ["ana"]
    assert on_call(responder_api, schedule, noon) == ["dai"]
    assert on_call(responder_api, schedule, six - timedelta(minutes=1)) == ["dai"]
    assert on_call(responder_api, schedule, six) == ["ana"]

    # A second, overlapping override: everyone covering is on call.
    responder_api.post(
        f"/schedules/{schedule}/overrides",
        {
            "user": "chie",
            "starts_at": noon.isoformat(),
            "ends_at": (noon + timedelta(hours=1)).isoformat(),
        },
    )
    assert on_call(responder_api, schedule, noon) == ["dai", "chie"]

    preview = responder_api.get(f"/schedules/{schedule}").json()["preview"]
    assert [(s["user"], s["source"]) for s in preview[:4]] == [
        ("ana", "Weekly"),
        ("dai", "override"),
        ("chie", "override"),
        ("ana", "Weekly"),
    ]
    assert preview[1]["starts_at"] == "2026-11-25T03:00:00Z"
    assert preview[1]["ends_at"] == "2026-11-25T09:00:00Z"

    # The clock reaches the override; removing it hands back to the rotation.
    set_clock(frozen_clock, noon + timedelta(minutes=5))
    assert responder_api.get(f"/schedules/{schedule}/oncall").json()["users"] == ["dai", "chie"]
    assert (
        responder_api.delete(f"/schedules/{schedule}/overrides/{override['id']}").status_code == 204
    )
    assert responder_api.get(f"/schedules/{schedule}/oncall").json()["users"] == ["chie"]
    frozen_clock.advance(hours=1)
    assert responder_api.get(f"/schedules/{schedule}/oncall").json()["users"] == ["ana"]


def test_the_last_layer_with_someone_on_call_wins(responder_api: Api) -> None:
    people()
    schedule = create(
        responder_api,
        [
            layer(["ana", "ben"], "1w", start="2026-11-02", name="Primary"),
            layer(["chie"], "1d", start="2026-11-10", name="Cover"),
        ],
    )
    assert [entry["name"] for entry in schedule["layers"]] == ["Primary", "Cover"]
    # Before the second layer starts, the first one answers; after, the second one.
    assert on_call(responder_api, schedule["id"], local(TOKYO, "2026-11-10 08:59")) == ["ben"]
    assert on_call(responder_api, schedule["id"], local(TOKYO, "2026-11-10 09:00")) == ["chie"]


def test_a_holidays_only_layer_covers_japanese_public_holidays(
    responder_api: Api, frozen_clock: MovableClock
) -> None:
    people()
    set_clock(frozen_clock, datetime(2026, 11, 22, 0, 0, tzinfo=UTC))
    schedule = create(
        responder_api,
        [
            layer(["ana", "ben"], "1d", start="2026-11-01"),
            layer(["chie"], "1d", start="2026-11-01", holidays="only", name="Holidays"),
        ],
    )
    sid = schedule["id"]
    # 2026-11-23 is 勤労感謝の日 (Labour Thanksgiving Day), judged by the Tokyo date.
    assert on_call(responder_api, sid, local(TOKYO, "2026-11-22 23:59")) == ["ben"]
    assert on_call(responder_api, sid, local(TOKYO, "2026-11-23 00:00")) == ["chie"]
    assert on_call(responder_api, sid, local(TOKYO, "2026-11-23 12:00")) == ["chie"]
    assert on_call(responder_api, sid, local(TOKYO, "2026-11-23 23:59")) == ["chie"]
    assert on_call(responder_api, sid, local(TOKYO, "2026-11-24 12:00")) == ["ben"]

    covered = [s for s in schedule["preview"] if s["user"] == "chie"]
    assert covered[0]["starts_at"] == "2026-11-22T15:00:00Z"
    assert covered[-1]["ends_at"] == "2026-11-23T15:00:00Z"
    assert {s["source"] for s in covered} == {"Holidays"}


def test_a_layer_that_skips_holidays_leaves_them_uncovered(responder_api: Api) -> None:
    people()
    schedule = create(responder_api, [layer(["dai"], "1d", start="2026-11-01", holidays="skip")])
    assert on_call(responder_api, schedule["id"], local(TOKYO, "2026-11-22 12:00")) == ["dai"]
    assert on_call(responder_api, schedule["id"], local(TOKYO, "2026-11-23 12:00")) == []
    assert on_call(responder_api, schedule["id"], local(TOKYO, "2026-11-24 12:00")) == ["dai"]
