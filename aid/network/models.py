"""What the network itself is: its name, neighbourhoods, languages, hotline, code of conduct."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String, Text, false, inspect
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import Model

DEFAULT_CODE_OF_CONDUCT = (
    "We treat everyone we help with respect and keep what we learn to ourselves. "
    "We never share a person's name, number, address or story outside the network, never "
    "photograph people we accompany, and never contact authorities about anyone we help. "
    "We follow the coordinators' instructions on shifts and step back when asked."
)
DEFAULT_CODE_OF_CONDUCT_ES = (
    "Tratamos con respeto a todas las personas que ayudamos y guardamos para nosotros lo que "
    "sabemos de ellas. Nunca compartimos el nombre, el número, la dirección ni la historia de "
    "nadie fuera de la red, nunca fotografiamos a quienes acompañamos y nunca contactamos a las "
    "autoridades sobre nadie que ayudamos. Seguimos las indicaciones de coordinación en los "
    "turnos y nos apartamos cuando nos lo piden."
)


class SettingsReading:
    """What is read off the settings, for the row and for its frozen copy alike."""

    __slots__ = ()
    if TYPE_CHECKING:  # the columns these read (declared here, the mapper would map them)
        languages: str
        code_of_conduct: str
        code_of_conduct_es: str
        code_countries: str
        default_region: str

    def conduct_for(self, locale: str) -> str:
        """The code of conduct in the reader's language (English when not written in theirs)."""
        if locale == "es" and self.code_of_conduct_es.strip():
            return self.code_of_conduct_es
        return self.code_of_conduct

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def code_country_list(self) -> list[str]:
        """Where a one-time code may be texted: the network's own country and any added."""
        extra = [c.strip().upper() for c in (self.code_countries or "").split(",") if c.strip()]
        return [self.default_region, *(c for c in extra if c != self.default_region)]


class NetworkSettings(Model, SettingsReading):
    """One row: the settings every feature reads."""

    __tablename__ = "network_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_name: Mapped[str] = mapped_column(String(80), default="Aid")
    hotline_number: Mapped[str] = mapped_column(String(20), default="")
    default_region: Mapped[str] = mapped_column(String(2), default="US")
    languages: Mapped[str] = mapped_column(String(60), default="en,es")
    code_of_conduct: Mapped[str] = mapped_column(Text, default=DEFAULT_CODE_OF_CONDUCT)
    # Countries besides `default_region` whose numbers may be texted a one-time code
    # (two-letter codes, comma-separated): every other country is refused (toll fraud).
    code_countries: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # Surge: a real emergency; the hotline's network-wide hourly cap is raised.
    surge: Mapped[bool] = mapped_column(default=False, server_default=false())
    code_of_conduct_es: Mapped[str] = mapped_column(Text, default=DEFAULT_CODE_OF_CONDUCT_ES,
                                                    server_default="")
    # An IANA zone ("America/Los_Angeles"); empty: AID_TIMEZONE.
    timezone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # Reports: how many distinct people must confirm one (2 recommended), how long one stays
    # current unless someone confirms it again, and how close two must be to be offered
    # for merging.
    verifiers_needed: Mapped[int] = mapped_column(default=1, server_default="1")
    report_hours: Mapped[int] = mapped_column(default=4, server_default="4")
    merge_minutes: Mapped[int] = mapped_column(default=60, server_default="60")


# What a frozen copy of the settings holds: every column.
COLUMNS = tuple(inspect(NetworkSettings).columns.keys())


class Area(Model):
    """A neighbourhood. Requests, shifts, posts and alerts are placed by area, never by address."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
