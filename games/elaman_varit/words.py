"""The words of Elämän värit, in every first-class language."""

from engine import in_four

_w = in_four


#: The leader's words for what the records count.
TURNS_TAKEN = _w("Vuoroja", "Turer", "Turns taken", "Vuoroja")
ANSWERS = _w("Vastauksia kaikille-kortteihin", "Svar på allas kort",
             "Answers to everyone's cards", "Vastauksia yhteisiin kortteihin")
ENCOURAGEMENTS = _w("Kannustuksia", "Uppmuntringar", "Encouragements sent", "Kannustuksia")

TITLE = _w("Elämän värit", "Livets färger", "Colours of life", "Elämän värit")
DESCRIPTION = _w(
    "Keskustelupeli ilman voittajia: heitä noppaa, siirry väriruutuun ja puhu kortin aiheesta.",
    "Ett samtalsspel utan vinnare: kasta tärningen, flytta till en färgruta och prata om kortet.",
    "A discussion game with no winners: roll, move to a coloured space and talk about the card.",
    "Peli, jossa kukaan ei voita. Heitä noppaa. Puhu kortin aiheesta.",
)
KIND = {
    "question": _w("Kysymys", "Fråga", "Question", "Kysymys"),
    "task": _w("Tehtävä", "Uppgift", "Task", "Tehtävä"),
    "together": _w("Kaikki yhdessä", "Alla tillsammans", "All together", "Kaikki yhdessä"),
    "reflection": _w("Pohdinta", "Eftertanke", "Reflection", "Mieti"),
    "own": _w("Ryhmän oma kortti", "Gruppens eget kort", "The group's own card",
              "Ryhmän oma kortti"),
}
SPACE = {
    "everyone": _w("Kaikki vastaavat", "Alla svarar", "Everyone answers", "Kaikki vastaavat"),
    "free": _w("Vapaa valinta", "Fritt val", "Free choice", "Valitse itse"),
    "kind_words": _w("Hyvä sana", "Vänliga ord", "Kind words", "Sano hyvä asia"),
    "rest": _w("Lepo", "Vila", "Rest", "Lepo"),
}
SPACE_TEXT = {
    "kind_words": _w(
        "Sano jotain hyvää ryhmästä tai vieressäsi istuvasta.",
        "Säg något gott om gruppen eller om den som sitter bredvid dig.",
        "Say something good about the group or the person next to you.",
        "Sano yksi hyvä asia ryhmästä. Tai sano hyvä asia vieruskaverista.",
    ),
    "rest": _w(
        "Lepoaskel: hengähdä hetki. Tällä vuorolla ei tarvitse tehdä mitään.",
        "Vilosteg: andas ut en stund. Den här turen behöver du inte göra något.",
        "A rest: take a breath. There is nothing to do this turn.",
        "Nyt voit levätä. Sinun ei tarvitse tehdä mitään.",
    ),
    "free": _w("Valitse, mistä aiheesta haluat kortin.", "Välj vilket tema du vill ha ett kort om.",
               "Choose the theme you would like a card from.", "Valitse aihe."),
}
ROLL = _w("Heitä noppaa", "Kasta tärningen", "Roll the die", "Heitä noppaa")
ROLLING = _w("{name} heittää noppaa.", "{name} kastar tärningen.", "{name} rolls the die.",
             "{name} heittää noppaa.")
ROLL_PROMPT = _w("Sinun vuorosi. Heitä noppaa.", "Din tur. Kasta tärningen.",
                 "Your turn. Roll the die.", "Sinun vuoro. Heitä noppaa.")
DONE = _w("Olen valmis", "Jag är klar", "I'm done", "Olen valmis")
GO_ON = _w("Jatketaan", "Vi fortsätter", "Go on", "Jatka")
ANOTHER = _w("Toinen kortti", "Ett annat kort", "Another card", "Toinen kortti")
ANSWERED = _w("Vastasin", "Jag svarade", "I answered", "Vastasin")
EVERYONE_TITLE = _w("Kaikki vastaavat vuorollaan", "Alla svarar i tur och ordning",
                    "Everyone answers in turn", "Kaikki vastaavat vuorotellen")
TURN_OF = _w("Vuorossa {name}", "{name}s tur", "{name}'s turn", "Nyt on vuorossa {name}")
ROUND = _w("Kierros {n}/{total}", "Runda {n}/{total}", "Round {n} of {total}",
           "Kierros {n}/{total}")
THANKS = _w("Kiitos yhteisestä hetkestä!", "Tack för stunden tillsammans!",
            "Thank you for the time together!", "Kiitos yhteisestä hetkestä!")
TALKED_TOTAL = _w("Puhuimme yhdessä {n} kortista.", "Tillsammans pratade vi om {n} kort.",
                  "Together we talked about {n} cards.", "Puhuimme yhdessä {n} kortista.")
TALKED_THEME = _w("{theme}: {n}", "{theme}: {n}", "{theme}: {n}", "{theme}: {n}")
ALREADY_REDRAWN = _w("Olet jo vaihtanut kortin kerran. Voit puhua tai ohittaa.",
                     "Du har redan bytt kort en gång. Du kan prata eller hoppa över.",
                     "You have already changed the card once. You can talk or pass.",
                     "Vaihdoit jo kortin. Voit puhua tai ohittaa.")
NOT_NOW = _w("Tämä ei onnistu juuri nyt.", "Det går inte just nu.",
             "That is not possible right now.", "Tämä ei onnistu nyt.")
UNKNOWN_DECK = _w("Tätä aihetta ei ole pelissä.", "Det temat finns inte i spelet.",
                  "That theme is not in play.", "Tätä aihetta ei ole pelissä.")
SKIP_CARD = _w("Vaihda kortti", "Byt kort", "Change the card", "Vaihda kortti")
ADD_CARD = _w("Lisää ryhmän oma kortti", "Lägg till gruppens eget kort", "Add the group's own card",
              "Lisää oma kortti")
SENSITIVE_OFF = _w("Jätä herkät kortit pois", "Lämna bort känsliga kort",
                   "Leave out sensitive cards", "Jätä herkät kortit pois")
SENSITIVE_ON = _w("Ota herkät kortit mukaan", "Ta med känsliga kort", "Include sensitive cards",
                  "Ota herkät kortit mukaan")
CARDS_TALKED = _w("Kortteja käsitelty", "Kort som behandlats", "Cards talked about",
                  "Kortteja")
DECKS_IN_PLAY = _w("Aiheet", "Teman", "Themes", "Aiheet")
