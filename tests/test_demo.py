import json

from voice.auth.secrets import token_hash


def demo_json(runner):
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_demo_json_has_the_fixed_shape(runner):
    info = demo_json(runner)
    assert info["base_url"] == "http://voice.test"
    assert info["sign_in_url"] == "http://voice.test/staff/sign-in"
    roles = [s["role"] for s in info["staff"]]
    for role in ("team_manager", "iro", "duty", "participation_officer", "emergency_duty"):
        assert role in roles
    assert roles.count("social_worker") >= 2
    assert len(info["children"]) >= 6
    for child in info["children"]:
        assert set(child) == {"ref", "name", "invite_url", "allocated_worker"}
        assert child["invite_url"].startswith("http://voice.test/start/")
        assert "@" in child["allocated_worker"]
    assert info["council_members"] and set(info["council_members"][0]) == {"email", "password"}


def test_demo_is_idempotent_and_mints_fresh_links(app, runner):
    first, second = demo_json(runner), demo_json(runner)
    assert [c["ref"] for c in first["children"]] == [c["ref"] for c in second["children"]]
    assert first["children"][0]["invite_url"] != second["children"][0]["invite_url"]
    from voice.extensions import db
    from voice.models import Child, StaffMember

    with app.app_context():
        assert db.session.query(StaffMember).count() == len(first["staff"])
        assert db.session.query(Child).count() == len(first["children"])


def test_demo_staff_can_sign_in_and_two_workers_share_a_team(app, runner, page):
    info = demo_json(runner)
    workers = [s for s in info["staff"] if s["role"] == "social_worker"]
    from voice.models import StaffMember

    with app.app_context():
        teams = [StaffMember.by_email(w["email"]).team_id for w in workers]
    assert len(teams) != len(set(teams))
    form = page.get("/staff/sign-in")
    home = page.submit(form, {"email": workers[0]["email"], "password": workers[0]["password"]})
    assert home.url == "/staff/"


def test_invite_command_prints_a_link_and_stores_only_its_hash(app, runner):
    demo_json(runner)
    result = runner.invoke(args=["invite", "C-1001"])
    assert result.exit_code == 0
    link = result.output.strip()
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 43
    from voice.extensions import db
    from voice.models import Invitation

    with app.app_context():
        hashes = [i.token_hash for i in db.session.query(Invitation)]
    assert token_hash(token) in hashes
    assert token not in hashes
    assert runner.invoke(args=["invite", "NOPE"]).exit_code != 0
