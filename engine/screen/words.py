"""The shared screen's own words, in every first-class language.

Game text arrives inside the scene with its translations; these are the few words the screen
adds itself: seat statuses (said in words as well as shown with an icon), the join card (with
the short address of the page where the room code is typed), and what it says while it has no
connection.
"""

from __future__ import annotations

from engine.messages import MESSAGES
from engine.text import LocalizedText

__all__ = ["WORDS", "say"]


def _w(fi: str, sv: str, en: str, selko: str) -> LocalizedText:
    return LocalizedText({"fi": fi, "sv": sv, "en": en, "fi-x-selko": selko})


WORDS: dict[str, LocalizedText] = {
    "status.turn": _w("Vuorossa", "Har turen", "Their turn", "Nyt vuorossa"),
    "status.passed": _w("Ohitti", "Hoppade över", "Passed", "Ohitti"),
    "status.answered": _w("Vastasi", "Har svarat", "Answered", "Vastasi"),
    "status.away": _w("Poissa", "Borta", "Away", "Ei nyt mukana"),
    "join.scan": _w("Skannaa koodi puhelimella tai tabletilla",
                    "Skanna koden med telefonen eller surfplattan",
                    "Scan the code with a phone or tablet",
                    "Kuvaa koodi puhelimella"),
    "join.or_go": _w("tai mene osoitteeseen", "eller gå till", "or go to", "tai mene osoitteeseen"),
    "join.no_url": _w("Avaa Piiri tabletilla ja kirjoita koodi",
                      "Öppna Piiri på plattan och skriv koden",
                      "Open Piiri on the tablet and type the code",
                      "Avaa Piiri ja kirjoita koodi"),
    "join.type_code": _w("Tai kirjoita koodi osoitteessa", "Eller skriv koden på",
                         "Or type the code at", "Tai kirjoita koodi täällä:"),
    "lobby.here": _w("Mukana", "Med", "Here", "Mukana"),
    "tally.voted": _w("Äänestänyt {voted}/{voters}", "Har röstat {voted}/{voters}",
                      "Voted {voted} of {voters}", "Äänesti {voted}/{voters}"),
    "lock.solved": _w("Avattu", "Öppnat", "Opened", "Auki"),
    "lock.open": _w("Ratkaistavana", "Att lösa", "To solve", "Ratkaise tämä"),
    "lock.later": _w("Myöhemmin", "Senare", "Later", "Myöhemmin"),
    "timer.paused": _w("Aika seis", "Tiden står still", "Time stopped", "Aika on pysähtynyt"),
    "card.back": _w("Kortti", "Kort", "Card", "Kortti"),
    "net.lost": _w("Yhteys katkesi — yhdistetään uudelleen…",
                   "Anslutningen bröts — ansluter igen…",
                   "Connection lost — reconnecting…",
                   "Yhteys katkesi. Yhdistetään uudelleen…"),
    "net.lost_body": _w("Peli jatkuu, kun yhteys palaa. Mitään ei menetetä.",
                        "Spelet fortsätter när anslutningen är tillbaka. Inget går förlorat.",
                        "The game goes on when the connection is back. Nothing is lost.",
                        "Peli jatkuu, kun yhteys toimii. Mitään ei häviä."),
    "net.connecting": _w("Yhdistetään…", "Ansluter…", "Connecting…", "Yhdistetään…"),
    "net.no_room": _w("Huonetta {room} ei löytynyt. Tarkista koodi.",
                      "Rummet {room} hittades inte. Kontrollera koden.",
                      "Room {room} was not found. Please check the code.",
                      "Huonetta {room} ei löydy. Katso koodi uudestaan."),
}


def say(key: str, lang: str, **params: object) -> str:
    """The screen's word ``key`` in ``lang``; engine messages (``join_here``, ``paused``...)
    are found too.

    >>> say("status.turn", "en")
    'Their turn'
    """
    text = WORDS.get(key) or MESSAGES[key]
    picked = text.pick(lang)
    return picked.format(**params) if params else picked
