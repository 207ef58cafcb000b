"""The engine's own words: what every table says, whatever the game.

Each message is a :class:`~engine.text.LocalizedText` in Finnish, Swedish, English and easy
Finnish. Rejections name a key here, so every client can show the reason in its reader's language.
"""

from __future__ import annotations

from functools import lru_cache

from .text import LocalizedText, in_four

__all__ = ["MESSAGES", "message"]


_m = in_four


MESSAGES: dict[str, LocalizedText] = {
    # What a tablet shows.
    "pass": _m("Ohita", "Hoppa över", "Pass", "Ohita"),
    "your_turn": _m("Sinun vuorosi", "Din tur", "Your turn", "Nyt on sinun vuoro"),
    "turn_of": _m("Vuorossa: {name}", "Tur: {name}", "{name}'s turn", "Nyt on vuorossa {name}"),
    "waiting_for_start": _m(
        "Odotetaan, että ohjaaja aloittaa.",
        "Vi väntar på att ledaren börjar.",
        "Waiting for the group leader to start.",
        "Odota hetki. Ohjaaja aloittaa pian.",
    ),
    "you_joined_as": _m("Olet mukana nimellä {name}", "Du är med som {name}",
                        "You have joined as {name}", "Sinun nimesi pelissä on {name}"),
    "paused": _m("Tauko", "Paus", "Break", "Nyt on tauko"),
    "paused_body": _m(
        "Peli on tauolla. Jatketaan pian.",
        "Spelet har paus. Vi fortsätter snart.",
        "The game is on a break. We will go on soon.",
        "Peli on tauolla. Peli jatkuu pian.",
    ),
    "paused_after_sleep": _m(
        "Peli pysähtyi, koska kone oli lepotilassa. Ohjaaja jatkaa peliä.",
        "Spelet stannade eftersom datorn sov. Ledaren fortsätter spelet.",
        "The game stopped because the computer was asleep. The leader will continue.",
        "Kone oli lepotilassa. Siksi peli pysähtyi. Ohjaaja jatkaa peliä.",
    ),
    "ended": _m("Kiitos!", "Tack!", "Thank you!", "Kiitos!"),
    "ended_body": _m(
        "Peli on päättynyt. Kiitos, että olit mukana.",
        "Spelet är slut. Tack för att du var med.",
        "The game has ended. Thank you for taking part.",
        "Peli loppui. Kiitos, että olit mukana.",
    ),
    "hint_from_leader": _m("Vinkki ohjaajalta", "Tips från ledaren", "A hint from the leader",
                           "Ohjaaja antaa vinkin"),
    "time_up": _m("Aika on kulunut. Ei kiirettä.", "Tiden är ute. Ingen brådska.",
                  "Time is up. No hurry.", "Aika loppui. Ei haittaa."),
    "join_here": _m("Tule mukaan", "Var med", "Join in", "Tule mukaan"),
    "room_code": _m("Huoneen koodi", "Rummets kod", "Room code", "Koodi"),
    "nobody_yet": _m("Kukaan ei ole vielä liittynyt.", "Ingen har anslutit ännu.",
                     "Nobody has joined yet.", "Kukaan ei ole vielä mukana."),
    "ready": _m("Valmis", "Klar", "Ready", "Valmis"),
    "checkin_title": _m("Oma arvio", "Egen bedömning", "Check-in", "Oma arvio"),
    "checkin_screen_body": _m(
        "Jokainen vastaa omalla laitteellaan, omaan tahtiinsa. Vastaukset eivät näy tässä.",
        "Var och en svarar på sin egen enhet, i egen takt. Svaren syns inte här.",
        "Everyone answers on their own tablet, at their own pace. No answer is shown here.",
        "Jokainen vastaa omalla laitteella. Ei ole kiire. Vastaukset eivät näy tässä."),
    "checkin_progress": _m("{done}/{total} valmiina", "{done} av {total} klara",
                           "{done} of {total} done", "{done}/{total} on valmiina"),
    "side_progress": _m("{done}/{total} vastannut", "{done} av {total} har svarat",
                        "{done} of {total} have answered", "{done}/{total} on vastannut"),
    "opened_elsewhere": _m(
        "Tämä paikka avattiin toisessa ikkunassa tai laitteessa. Jatka siellä.",
        "Den här platsen öppnades i ett annat fönster eller en annan enhet. Fortsätt där.",
        "This seat was opened in another window or device. Please carry on there.",
        "Paikkasi on nyt auki toisessa ikkunassa. Jatka siellä.",
    ),
    "handed_over": _m(
        "Paikka on vapautettu. Seuraava voi liittyä.",
        "Platsen är frigjord. Nästa kan ansluta.",
        "The seat is released. The next person can join.",
        "Paikka on vapaa. Seuraava voi liittyä.",
    ),
    "removed": _m(
        "Ohjaaja poisti tämän paikan pelistä.", "Ledaren tog bort den här platsen från spelet.",
        "The group leader removed this seat from the game.", "Ohjaaja poisti paikan pelistä.",
    ),
    "not_admitted": _m(
        "Ohjaaja ei ottanut liittymistä vastaan. Kysy ohjaajalta.",
        "Ledaren tog inte emot anslutningen. Fråga ledaren.",
        "The group leader did not admit this join. Please ask the leader.",
        "Ohjaaja ei päästänyt sinua mukaan. Kysy ohjaajalta.",
    ),
    "no_room": _m(
        "Tällä koodilla ei löydy peliä. Tarkista koodi.",
        "Det finns inget spel med den koden. Kontrollera koden.",
        "No game has this code. Please check the code.",
        "Koodilla ei löydy peliä. Katso koodi uudestaan.",
    ),
    "bad_message": _m(
        "Viestiä ei voitu lukea. Mitään ei muutettu.",
        "Meddelandet kunde inte läsas. Inget ändrades.",
        "The message could not be read. Nothing was changed.",
        "Viestissä oli virhe. Mikään ei muuttunut.",
    ),
    "too_many": _m(
        "Liian monta viestiä kerralla. Odota hetki.",
        "För många meddelanden på en gång. Vänta en stund.",
        "Too many messages at once. Please wait a moment.",
        "Liian monta viestiä. Odota hetki.",
    ),
    "replayed": _m(
        "Tämä viesti oli jo lähetetty. Mitään ei muutettu.",
        "Det här meddelandet var redan skickat. Inget ändrades.",
        "This message was already sent. Nothing was changed.",
        "Viesti oli jo lähetetty. Mikään ei muuttunut.",
    ),
    "not_seated": _m(
        "Liity ensin peliin.", "Anslut till spelet först.", "Please join the game first.",
        "Liity ensin peliin.",
    ),
    "old_version": _m(
        "Sivu on vanha. Lataa sivu uudelleen.", "Sidan är gammal. Ladda om sidan.",
        "This page is out of date. Please reload it.", "Sivu on vanha. Lataa sivu uudestaan.",
    ),
    "too_many_codes": _m(
        "Liian monta väärää koodia tästä verkosta. Odota hetki ja kysy koodi ohjaajalta.",
        "För många fel koder från det här nätet. Vänta en stund och fråga ledaren om koden.",
        "Too many wrong codes from this network. Please wait a moment and ask the group "
        "leader for the code.",
        "Liian monta väärää koodia. Odota hetki. Kysy koodi ohjaajalta.",
    ),
    "too_many_connections": _m(
        "Tästä verkosta on liian monta avointa yhteyttä. Sulje ylimääräiset välilehdet ja "
        "yritä hetken päästä uudelleen.",
        "För många öppna anslutningar från det här nätet. Stäng extra flikar och försök igen "
        "om en stund.",
        "Too many open connections from this network. Please close extra tabs and try again "
        "in a moment.",
        "Liian monta yhteyttä auki. Sulje ylimääräiset sivut. Yritä hetken päästä uudestaan.",
    ),
    # Why an action was not accepted.
    "reject.not_your_turn": _m(
        "Nyt on toisen vuoro. Odota hetki.", "Det är någon annans tur. Vänta en stund.",
        "It is someone else's turn. Please wait.", "Nyt on toisen vuoro. Odota.",
    ),
    "reject.unknown_move": _m(
        "Tätä toimintoa ei ole tässä pelissä.", "Den här funktionen finns inte i spelet.",
        "This game has no such action.", "Tätä ei voi tehdä tässä pelissä.",
    ),
    "reject.bad_payload": _m(
        "Viesti oli vajaa tai virheellinen. Mitään ei muutettu.",
        "Meddelandet var ofullständigt eller felaktigt. Inget ändrades.",
        "The message was incomplete or wrong. Nothing was changed.",
        "Viestissä oli virhe. Mikään ei muuttunut.",
    ),
    "reject.not_now": _m(
        "Tämä ei onnistu juuri nyt.", "Det går inte just nu.", "That is not possible right now.",
        "Tämä ei onnistu nyt.",
    ),
    "reject.paused": _m(
        "Peli on tauolla.", "Spelet har paus.", "The game is on a break.", "Nyt on tauko.",
    ),
    "reject.not_started": _m(
        "Peli ei ole vielä alkanut.", "Spelet har inte börjat ännu.",
        "The game has not started yet.", "Peli ei ole vielä alkanut.",
    ),
    "reject.already_started": _m(
        "Peli on jo alkanut.", "Spelet har redan börjat.", "The game has already started.",
        "Peli on jo alkanut.",
    ),
    "reject.ended": _m(
        "Peli on jo päättynyt.", "Spelet är redan slut.", "The game has already ended.",
        "Peli on jo loppunut.",
    ),
    "reject.unknown_seat": _m(
        "Tätä paikkaa ei löydy. Liity peliin uudelleen.",
        "Platsen finns inte. Anslut till spelet igen.",
        "This seat does not exist. Please join the game again.",
        "Paikkaa ei löydy. Liity peliin uudestaan.",
    ),
    "reject.seat_gone": _m(
        "Tämä paikka on vapautettu. Liity peliin uudelleen.",
        "Den här platsen har frigjorts. Anslut till spelet igen.",
        "This seat has been released. Please join the game again.",
        "Paikka on vapaa. Liity peliin uudestaan.",
    ),
    "reject.table_full": _m(
        "Peli on täynnä.", "Spelet är fullt.", "The game is full.", "Pelissä ei ole tilaa.",
    ),
    "reject.too_few_seats": _m(
        "Pelaajia on liian vähän aloittamiseen.", "Det finns för få spelare för att börja.",
        "Too few players have joined to start.", "Pelaajia on liian vähän.",
    ),
    "reject.nothing_to_pass": _m(
        "Sinulta ei nyt kysytä mitään.", "Ingen frågar dig något just nu.",
        "Nothing is being asked of you right now.", "Sinun ei tarvitse nyt tehdä mitään.",
    ),
    "reject.facilitator_only": _m(
        "Vain ohjaaja voi tehdä tämän.", "Bara ledaren kan göra det här.",
        "Only the group leader can do this.", "Vain ohjaaja voi tehdä tämän.",
    ),
    "reject.name_taken": _m(
        "Tämä nimi on jo käytössä. Valitse toinen nimi.",
        "Namnet används redan. Välj ett annat namn.",
        "This name is already in use. Please choose another.",
        "Joku käyttää jo tätä nimeä. Valitse toinen nimi.",
    ),
    "reject.game_error": _m(
        "Pelissä tapahtui virhe. Mitään ei muutettu; yritä uudelleen tai ohita.",
        "Ett fel uppstod i spelet. Inget ändrades; försök igen eller hoppa över.",
        "Something went wrong in the game. Nothing was changed; try again or pass.",
        "Pelissä oli virhe. Mikään ei muuttunut. Yritä uudestaan tai ohita.",
    ),
    "reject.needs_tick": _m(
        "Kone oli lepotilassa. Peli on tauolla, kunnes ohjaaja jatkaa.",
        "Datorn sov. Spelet har paus tills ledaren fortsätter.",
        "The computer was asleep. The game is paused until the leader continues.",
        "Kone oli lepotilassa. Peli on tauolla.",
    ),
    "reject.no_timer": _m(
        "Ajastin ei ole käytössä.", "Timern är inte i bruk.", "The timer is not in use.",
        "Ajastin ei ole päällä.",
    ),
}


def message(key: str, **params: str | int) -> LocalizedText:
    """The engine message ``key``, with ``{placeholders}`` filled in.

    >>> message("turn_of", name="Aino").pick("en")
    "Aino's turn"
    """
    if not params:
        return MESSAGES[key]
    return _formatted(key, tuple(sorted(params.items())))


@lru_cache(maxsize=4096)
def _formatted(key: str, params: tuple[tuple[str, str | int], ...]) -> LocalizedText:
    # Every tablet's status line is formatted after every move; the names repeat.
    return MESSAGES[key].format(**dict(params))
