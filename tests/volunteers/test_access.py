"""Who reaches which volunteer and shift page."""

from __future__ import annotations

import pytest

from aid.auth.models import Role, Status
from aid.security import access
from tests.volunteers import factories

PAGES = ["/volunteer/signup", "/my", "/my/profile", "/shifts", "/shifts/new", "/shifts/capacity",
         "/coordinator/volunteers"]
EXPECTED = {
    # who: the status code for each page above, in order
    "anonymous": [200, 302, 302, 302, 302, 302, 302],
    "applied": [302, 200, 200, 403, 403, 403, 403],
    "vetted": [302, 200, 200, 200, 403, 403, 403],
    "coordinator": [302, 200, 404, 200, 200, 200, 200],
    "suspended": [200, 302, 302, 302, 302, 302, 302],
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_kind_of_person_reaches_exactly_their_pages(aid_test, app, client, make_user, who):
    if who in ("applied", "vetted", "suspended"):
        user = factories.volunteer("applied" if who == "suspended" else who)
        aid_test.sign_in(client, user)
        if who == "suspended":
            from aid.auth import service as accounts

            accounts.set_status(user, Status.SUSPENDED)
    elif who == "coordinator":
        aid_test.sign_in(client, make_user(Role.COORDINATOR))
    codes = [client.get(path).status_code for path in PAGES]
    assert codes == EXPECTED[who]


def test_every_volunteer_and_shift_endpoint_has_an_access_rule(app):
    ours = [rule.endpoint for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith(("volunteers.", "shifts."))]
    assert len(ours) >= 20
    assert [endpoint for endpoint in ours if endpoint not in access.rules(app)] == []


def test_vetted_volunteers_cannot_change_shifts_or_vet(aid_test, app, client, make_user):

    shift = factories.shift(make_user(Role.COORDINATOR))
    applicant = factories.volunteer("applied")
    aid_test.sign_in(client, factories.volunteer())
    assert aid_test.post_form(client, f"/shifts/{shift.id}/edit",
                              {"kind": "other"}).status_code == 403
    assert aid_test.post_form(client, f"/coordinator/volunteers/{applicant.id}",
                              {"decision": "approve"}).status_code == 403
    assert client.get(f"/coordinator/volunteers/{applicant.id}").status_code == 403
