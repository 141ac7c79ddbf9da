"""Every feature page says why it exists and links the passage behind it."""

from __future__ import annotations

import pytest

from aid.auth.models import Role, Status

PAGES = [("/help", "hotlines, safe houses, support groups", None),
         ("/volunteer/signup", "methods of networking that exclude informants", None),
         ("/board", "exchange information across identity lines", None),
         ("/alerts/subscribe", "early warning system", None),
         ("/shifts", "signed up to accompany", (Role.VOLUNTEER, Status.VETTED))]


@pytest.mark.parametrize(("path", "quote", "who"), PAGES)
def test_feature_page_quotes_and_links_its_founding_passage(aid_test, client, make_user, path,
                                                            quote, who):
    if who:
        aid_test.sign_in(client, make_user(*who))
    html = client.get(path).get_data(as_text=True)
    assert quote in html
    link = html.split(quote, 1)[1].split('href="', 1)[1].split('"', 1)[0]
    page, anchor = link.split("#")
    target = client.get(page)
    assert target.status_code == 200
    assert f'id="{anchor}"' in target.get_data(as_text=True)
