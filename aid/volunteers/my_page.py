"""A volunteer's own page (/my): what other features add to it.

The page itself shows the application, the profile and the phone tree. A vetted volunteer's
shifts, the hotline requests assigned to them and their calendar feed belong to the shifts and
hotline features, which add them here with `@my_page.sections.add(template, order)`; this feature
imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from aid.auth.models import Status, User
from aid.sections import Sections
from aid.volunteers.models import VolunteerProfile


@dataclass(frozen=True)
class Me:
    """Whose page it is."""

    user: User
    profile: VolunteerProfile | None

    @property
    def vetted(self) -> bool:
        """Shifts and requests are only ever shown to vetted members with a profile."""
        return self.profile is not None and self.user.status == Status.VETTED


sections: Sections[Me] = Sections("a volunteer's own page")
