"""The words of the circle game, in every first-class language."""

from engine import in_four

_w = in_four


#: The leader's words for what the records count.
TURNS_TAKEN = _w("Vuoroja", "Turer", "Turns taken", "Vuoroja")
ENCOURAGEMENTS = _w("Kannustuksia", "Uppmuntringar", "Encouragements sent", "Kannustuksia")

TITLE = _w("Kierros", "Rundan", "Round of the circle", "Kierros")
DESCRIPTION = _w(
    "Jokainen vastaa vuorollaan lyhyeen kysymykseen ääneen tai ohittaa vuoronsa.",
    "Var och en svarar i tur och ordning på en kort fråga eller hoppar över.",
    "Each person in turn answers a short question aloud, or passes.",
    "Jokainen vastaa vuorollaan yhteen kysymykseen. Voit myös ohittaa.",
)
DONE = _w("Olen valmis", "Jag är klar", "I'm done", "Olen valmis")
ANOTHER = _w("Toinen kysymys", "En annan fråga", "Another question", "Toinen kysymys")
SPEAKING = _w("{name} puhuu nyt. Voit lähettää kannustuksen.",
              "{name} talar nu. Du kan skicka en uppmuntran.",
              "{name} is speaking. You can send some encouragement.",
              "{name} puhuu nyt. Voit lähettää kannustuksen.")
ROUND = _w("Kierros {n}/{total}", "Runda {n}/{total}", "Round {n} of {total}",
           "Kierros {n}/{total}")
THANKS = _w("Kiitos kierroksesta!", "Tack för rundan!", "Thank you for the round!",
            "Kiitos kierroksesta!")
TALKED = _w("Puhuimme {n} kysymyksestä yhdessä.", "Vi pratade om {n} frågor tillsammans.",
            "Together we talked about {n} questions.", "Puhuimme yhdessä {n} kysymyksestä.")
ALREADY_REDRAWN = _w("Olet jo vaihtanut kysymyksen kerran. Voit vastata tai ohittaa.",
                     "Du har redan bytt fråga en gång. Du kan svara eller hoppa över.",
                     "You have already changed the question once. You can answer or pass.",
                     "Vaihdoit jo kysymyksen. Voit vastata tai ohittaa.")
NEW_PROMPT = _w("Uusi kysymys", "Ny fråga", "New question", "Uusi kysymys")
TALKED_INFO = _w("Kysymyksiä käsitelty", "Frågor som behandlats", "Questions talked about",
                 "Kysymyksiä")
REACTIONS_INFO = _w("Kannustuksia", "Uppmuntringar", "Encouragements", "Kannustuksia")
