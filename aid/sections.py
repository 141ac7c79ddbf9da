"""Parts of one feature's page that other features add: a template and the values it shows.

A volunteer's own page lists their shifts and their hotline requests; a request's page offers
to turn it into an alert report. The page's feature declares a `Sections` and loops over it;
each other feature adds its part where it lives, so the page's feature imports none of them:

    my_page = Sections("volunteers.my_page")                 # aid/volunteers/my_page.py

    @my_page.add("shifts/_my_shifts.html", order=10)         # aid/shifts/views.py
    def _my_shifts(user: User) -> dict[str, object] | None:
        return {"upcoming": ...}                             # None: nothing to show

    {% for part in sections %}{% include part.template %}{% endfor %}   # the page's template

An included template reads its values as `part.values.<name>`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Subject = TypeVar("Subject")
Values = dict[str, Any]


@dataclass(frozen=True)
class Part:
    template: str
    values: Values


@dataclass(frozen=True)
class _Adder(Generic[Subject]):
    template: str
    order: int
    values: Callable[[Subject], Values | None]


class Sections(Generic[Subject]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._adders: list[_Adder[Subject]] = []

    def add(self, template: str, order: int = 50) -> Callable[
            [Callable[[Subject], Values | None]], Callable[[Subject], Values | None]]:
        """Show `template` on the page, in `order` (lower first), with what the decorated
        function returns for the page's subject; it returns None to show nothing."""
        def register(values: Callable[[Subject], Values | None]) -> Callable[
                [Subject], Values | None]:
            if any(a.template == template for a in self._adders):
                raise ValueError(f"{template} is already part of {self.name}")
            self._adders.append(_Adder(template, order, values))
            self._adders.sort(key=lambda a: a.order)
            return values
        return register

    def parts(self, subject: Subject) -> list[Part]:
        shown = []
        for adder in self._adders:
            values = adder.values(subject)
            if values is not None:
                shown.append(Part(adder.template, values))
        return shown
