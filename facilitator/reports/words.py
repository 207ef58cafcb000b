"""What a participant's tablet says during the group's feedback, in Finnish, Swedish, English
and easy Finnish."""

from __future__ import annotations

from engine import LocalizedText, in_four

__all__ = ["FACES", "FACE_ICONS", "PICKS", "say"]

#: The three faces, by the value a tablet sends (the leader's page shows them in this order).
#: Plain words: the tablet draws each face from its own icon set (:data:`FACE_ICONS`), since
#: emoji look different, or are missing, depending on a tablet's fonts.
FACES: dict[str, LocalizedText] = {
    "good": in_four("Hyvä", "Bra", "Good", "Hyvä"),
    "okay": in_four("Ihan ok", "Helt okej", "Okay", "Ihan ok"),
    "hard": in_four("Raskas", "Tung", "Hard", "Vaikea"),
}

#: The tablet's picture of each face (an icon of facilitator/static/tablet.js).
FACE_ICONS: dict[str, str] = {"good": "face_good", "okay": "face_okay", "hard": "face_hard"}

#: What the group could do more of, by the value a tablet sends.
PICKS: dict[str, LocalizedText] = {
    "games": in_four("Pelejä", "Spel", "Games", "Pelejä"),
    "talking": in_four("Keskustelua", "Samtal", "Talking together", "Puhumista yhdessä"),
    "moving": in_four("Liikettä ja ulkoilua", "Rörelse och utevistelse",
                      "Moving and being outdoors", "Liikkumista ja ulkoilua"),
    "calm": in_four("Rauhallista yhdessäoloa", "Lugn samvaro", "Calm time together",
                    "Rauhallista aikaa yhdessä"),
    "finnish": in_four("Suomen kielen harjoittelua", "Att öva finska", "Practising Finnish",
                       "Suomen kielen harjoittelua"),
}

_TEXTS: dict[str, LocalizedText] = {
    "title": in_four("Palaute", "Respons", "Feedback", "Palaute"),
    "anonymous": in_four(
        "Vastaat nimettömästi. Ohjaaja näkee vain koko ryhmän yhteismäärät.",
        "Du svarar anonymt. Ledaren ser bara hela gruppens sammanlagda svar.",
        "Your answer is anonymous. The leader sees only the whole group's totals.",
        "Kukaan ei näe, mitä sinä vastaat. Ohjaaja näkee vain koko ryhmän vastaukset yhdessä."),
    "question_of": in_four("Kysymys {n}/{total}", "Fråga {n} av {total}",
                           "Question {n} of {total}", "Kysymys {n}/{total}"),
    "how_was_today": in_four("Millainen tämä päivä oli sinulle?", "Hur var dagen för dig?",
                             "How was today for you?", "Millainen päivä sinulla oli?"),
    "a_word": in_four("Haluatko sanoa yhden sanan päivästä?",
                      "Vill du säga ett ord om dagen?",
                      "Would you like to say one word about today?",
                      "Haluatko kirjoittaa yhden sanan tästä päivästä?"),
    "more_of": in_four("Mitä haluaisit lisää?", "Vad skulle du vilja ha mer av?",
                       "What would you like more of?", "Mitä haluat tehdä enemmän?"),
    "more_of_help": in_four("Voit valita monta.", "Du kan välja flera.",
                            "You can pick more than one.", "Voit valita monta."),
    "your_answer": in_four("Vastauksesi", "Ditt svar", "Your answer", "Sinun vastaus"),
    "skip": in_four("Ohita", "Hoppa över", "Skip", "Ohita"),
    "thanks": in_four("Kiitos!", "Tack!", "Thank you!", "Kiitos!"),
    "thanks_body": in_four(
        "Kiitos, että kerroit. Nähdään taas!",
        "Tack för att du berättade. Vi ses igen!",
        "Thank you for telling us. See you again!",
        "Kiitos vastauksesta. Nähdään taas!"),
    "over": in_four("Palaute on jo päättynyt.", "Responsen är redan avslutad.",
                    "The feedback has already ended.", "Palaute loppui jo."),
    "stale": in_four(
        "Tämä kysymys on jo vastattu. Katso näytöltä seuraava.",
        "Den här frågan är redan besvarad. Se nästa på skärmen.",
        "This question already has an answer. See the next one on your screen.",
        "Vastasit jo tähän. Katso seuraava kysymys."),
    "bad_value": in_four(
        "Valitse jokin vaihtoehdoista tai ohita kysymys.",
        "Välj ett av alternativen eller hoppa över frågan.",
        "Choose one of the options, or skip the question.",
        "Valitse yksi vaihtoehto. Voit myös ohittaa."),
    "not_saved": in_four(
        "Vastausta ei saatu tallennettua. Yritä uudelleen.",
        "Svaret kunde inte sparas. Försök igen.",
        "Your answer could not be saved. Please try again.",
        "Vastaus ei tallentunut. Yritä uudelleen."),
}


def say(key: str, **params: object) -> LocalizedText:
    text = _TEXTS[key]
    if not params:
        return text
    return LocalizedText({lang: value.format(**params) for lang, value in text.root.items()})
