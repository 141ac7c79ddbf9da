"""What the network itself is: its name, neighbourhoods, languages, hotline, code of conduct."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import db

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


class NetworkSettings(db.Model):
    """One row: the settings every feature reads."""

    __tablename__ = "network_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_name: Mapped[str] = mapped_column(String(80), default="Aid")
    hotline_number: Mapped[str] = mapped_column(String(20), default="")
    default_region: Mapped[str] = mapped_column(String(2), default="US")
    languages: Mapped[str] = mapped_column(String(60), default="en,es")
    code_of_conduct: Mapped[str] = mapped_column(Text, default=DEFAULT_CODE_OF_CONDUCT)
    code_of_conduct_es: Mapped[str] = mapped_column(Text, default=DEFAULT_CODE_OF_CONDUCT_ES,
                                                    server_default="")
    # An IANA zone ("America/Los_Angeles"); empty: AID_TIMEZONE.
    timezone: Mapped[str] = mapped_column(String(64), default="", server_default="")

    def conduct_for(self, locale: str) -> str:
        """The code of conduct in the reader's language (English when not written in theirs)."""
        if locale == "es" and self.code_of_conduct_es.strip():
            return self.code_of_conduct_es
        return self.code_of_conduct

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class Area(db.Model):
    """A neighbourhood. Requests, shifts, posts and alerts are placed by area, never by address."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
