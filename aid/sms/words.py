"""The words of an inbound text: normalising them, and the word lists the router and the
keyword handlers share (opt-out family, Spanish hints).

A bottom-floor module: it imports nothing from aid, so the router, the keyword handlers
and subscriptions can all use it without importing one another.
"""

from __future__ import annotations

import re
import unicodedata

OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE",
                           "OPTOUT", "ALTO", "PARAR", "BAJA"})
SPANISH_KEYWORDS = frozenset({"UNIRSE", "ALTO", "PARAR", "BAJA", "AYUDA", "SI", "LLEGUE",
                              "SALI", "ESTADO", "REPORTE", "REPORTAR",
                              "TABLON"})
# Common Spanish words: enough to guess the language of a free-text message.
SPANISH_WORDS = frozenset({"HOLA", "NECESITO", "AYUDA", "POR", "FAVOR", "ESTOY", "ESTA", "QUE",
                           "LA", "EL", "LOS", "LAS", "MI", "UNA", "UN", "CON", "PARA", "ESTAN",
                           "AQUI", "MIGRA", "GRACIAS", "BUENOS", "DIAS", "TENGO", "PUEDEN",
                           "CASA", "DONDE", "HAY", "SI", "POLICIA", "TRABAJO", "HIJO"})
ENGLISH_HINTS = frozenset({"THE", "IS", "ARE", "HELP", "PLEASE", "NEED", "I", "MY", "AT",
                           "THERE", "HI", "HELLO", "YES", "WITH"})
# Words that say nothing beyond the opt-out itself ("please stop texting me").
OPT_OUT_COMPANIONS = frozenset({
    "PLEASE", "PLS", "PLZ", "NOW", "ALL", "ME", "US", "I", "IM", "OK", "JUST", "CAN", "YOU", "DO",
    "DONT", "NOT", "WANT", "ANY", "MORE", "ANYMORE", "TO", "SEND", "SENDING", "TEXT", "TEXTS",
    "TEXTING", "MESSAGE", "MESSAGES", "MESSAGING", "ALERT", "ALERTS", "THESE", "THIS", "IT",
    "NUMBER", "THANKS", "THANK", "POR", "FAVOR", "YA", "NO", "MAS", "QUIERO", "RECIBIR", "DE",
    "LOS", "ESTOS", "MENSAJES", "ALERTAS", "ENVIAR", "MANDAR", "MANDEN", "DEJEN", "GRACIAS"})
# An opt-out word next to one of these is an opt-out even in a longer text.
OPT_OUT_BEFORE = frozenset({"PLEASE", "PLS", "PLZ", "FAVOR"})
OPT_OUT_AFTER = frozenset({"ME", "US", "TEXTING", "TEXTS", "MESSAGES", "MESSAGING", "SENDING",
                           "ALERTS", "MENSAJES", "ALERTAS"})
_WORD = re.compile(r"\w+")


def words_of(text: str) -> tuple[str, ...]:
    """Upper-case words with accents removed: "¡Sí, llegué!" -> ("SI", "LLEGUE")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return tuple(w.upper() for w in _WORD.findall(plain.replace("_", " ")))
