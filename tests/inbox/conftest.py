import pytest

from tests import factories
from voice.extensions import db


@pytest.fixture
def world(app):
    """Two teams; two workers and a manager in team A; a worker and manager in team B; an IRO; duty."""
    with app.app_context():
        team_a, team_b = factories.team("Team A"), factories.team("Team B")
        people = {
            "sw_a1": factories.staff("social_worker", team_=team_a, email="a1@voice.test", name="Asha One"),
            "sw_a2": factories.staff("social_worker", team_=team_a, email="a2@voice.test", name="Ben Two"),
            "tm_a": factories.staff("team_manager", team_=team_a, email="tma@voice.test", name="Cleo Boss"),
            "sw_b": factories.staff("social_worker", team_=team_b, email="b1@voice.test", name="Dev Three"),
            "tm_b": factories.staff("team_manager", team_=team_b, email="tmb@voice.test", name="Eve Boss"),
            "iro": factories.staff("iro", email="iro@voice.test", name="Fin Iro"),
            "duty_a": factories.staff("duty", team_=team_a, email="duty@voice.test", name="Gil Duty"),
            "po": factories.staff("participation_officer", email="po@voice.test", name="Hal Po"),
        }
        team_a.manager, team_b.manager = people["tm_a"], people["tm_b"]
        kid_a = factories.child(worker=people["sw_a1"], iro=people["iro"], ref="K-A1", first_name="Pip")
        kid_b = factories.child(worker=people["sw_b"], ref="K-B1", first_name="Quin")
        db.session.commit()
        return {
            "emails": {k: v.email for k, v in people.items()},
            "ids": {k: v.id for k, v in people.items()},
            "kid_a": kid_a.ref,
            "kid_b": kid_b.ref,
            "team_a": team_a.id,
        }
