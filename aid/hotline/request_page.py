"""A hotline request's page for coordinators: what other features add to its "More actions".

Alerts offers to turn the request into a report for the alert team (alerts reads hotline
requests, so the hotline cannot import it); it adds its form here with
`@request_page.sections.add(template, order)`.
"""

from __future__ import annotations

from aid.hotline.models import HelpRequest
from aid.sections import Sections

sections: Sections[HelpRequest] = Sections("a hotline request's page")
