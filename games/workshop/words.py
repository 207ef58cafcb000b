"""The words of the workshop, in every first-class language."""

from engine import in_four

_w = in_four

TITLE = _w("Työpaja", "Verkstad", "Workshop", "Työpaja")
DESCRIPTION = _w(
    "Ryhmä tekee omia kortteja tai kysymyksiä. Ohjaaja lukee ehdotukset ensin.",
    "Gruppen gör egna kort eller frågor. Ledaren läser förslagen först.",
    "The group makes its own cards or questions. The leader reads the proposals first.",
    "Ryhmä tekee omia kortteja. Ohjaaja lukee ehdotukset ensin.")
WRITE = _w("Kirjoita oma ehdotus: {name}", "Skriv ett eget förslag: {name}",
           "Write your own proposal: {name}", "Kirjoita oma ehdotus: {name}")
PICK_KIND = _w("Millainen kortti? Valitse ensin.", "Vilket slags kort? Välj först.",
               "What kind of card? Choose first.", "Millainen kortti? Valitse ensin.")
KIND_CHOSEN = _w("Kortin laji: {kind}", "Kortets slag: {kind}", "Kind of card: {kind}",
                 "Kortin laji: {kind}")
STARTERS = _w("Voit aloittaa näin:", "Du kan börja så här:", "You can start like this:",
              "Voit aloittaa näin:")
CREDIT = _w("Näytetäänkö nimesi hyväksytyn ehdotuksesi kanssa?",
            "Visas ditt namn med ditt godkända förslag?",
            "Show your name with your accepted proposal?",
            "Näytetäänkö nimesi ehdotuksesi kanssa?")
CREDIT_YES = _w("Kyllä, näytä nimeni", "Ja, visa mitt namn", "Yes, show my name",
                "Kyllä, näytä nimeni")
CREDIT_NO = _w("Ei, ilman nimeä", "Nej, utan namn", "No, without my name", "Ei, ilman nimeä")
CREDIT_ON = _w("Nimesi näytetään hyväksyttyjen ehdotustesi kanssa.",
               "Ditt namn visas med dina godkända förslag.",
               "Your name is shown with your accepted proposals.",
               "Nimesi näkyy ehdotustesi kanssa.")
CREDIT_OFF = _w("Ehdotuksesi näytetään ilman nimeäsi.", "Dina förslag visas utan ditt namn.",
                "Your proposals are shown without your name.",
                "Ehdotuksesi näkyvät ilman nimeä.")
ACCEPTED_SO_FAR = _w("Hyväksytyt ehdotukset", "Godkända förslag", "Accepted proposals",
                     "Hyväksytyt ehdotukset")
PROGRESS = _w("{done}/{goal} valmiina", "{done} av {goal} klara", "{done} of {goal} done",
              "{done}/{goal} valmiina")
NOTHING_YET = _w("Ohjaaja lukee ehdotukset. Hyväksytyt näkyvät täällä.",
                 "Ledaren läser förslagen. De godkända syns här.",
                 "The leader is reading the proposals. Accepted ones show here.",
                 "Ohjaaja lukee ehdotukset. Hyväksytyt näkyvät tässä.")
BY = _w("Tekijä: {name}", "Av: {name}", "By {name}", "Tekijä: {name}")
THUMB_UP = _w("Peukku ylös", "Tummen upp", "Thumbs up", "Peukku ylös")
THUMB_DOWN = _w("Peukku alas", "Tummen ner", "Thumbs down", "Peukku alas")
THUMBS = _w("👍 {up} · 👎 {down}", "👍 {up} · 👎 {down}", "👍 {up} · 👎 {down}",
            "👍 {up} · 👎 {down}")
MADE = _w("Teimme yhdessä {n} ehdotusta: {name}", "Vi gjorde {n} förslag tillsammans: {name}",
          "Together we made {n}: {name}", "Teimme yhdessä {n}: {name}")
THANKS = _w("Kiitos työpajasta!", "Tack för verkstaden!", "Thank you for the workshop!",
            "Kiitos työpajasta!")
WAIT_FOR_LEADER = _w("Odota hetki, ohjaaja lukee ehdotustasi. Sitten voit valita uudelleen.",
                     "Vänta en stund, ledaren läser ditt förslag. Sedan kan du välja igen.",
                     "Please wait: the leader is reading your proposal. Then you can choose "
                     "again.", "Odota. Ohjaaja lukee ehdotustasi.")
NO_SUCH_KIND = _w("Sellaista lajia ei ole.", "Det slaget finns inte.", "There is no such kind.",
                  "Sellaista lajia ei ole.")
NO_SUCH_ITEM = _w("Sitä ei löydy.", "Det finns inte.", "That cannot be found.",
                  "Sitä ei löydy.")
PROPOSALS_MADE = _w("Ehdotuksia", "Förslag", "Proposals made", "Ehdotuksia")
PROPOSALS_ACCEPTED = _w("Hyväksyttyjä ehdotuksia", "Godkända förslag", "Proposals accepted",
                        "Hyväksyttyjä ehdotuksia")

#: An item's kind in the participant's words (Elämän värit's card kinds; any other kind is
#: shown as it is named).
KINDS = {
    "question": _w("Kysymys", "Fråga", "Question", "Kysymys"),
    "task": _w("Tehtävä", "Uppgift", "Task", "Tehtävä"),
    "together": _w("Yhdessä", "Tillsammans", "Together", "Yhdessä"),
    "reflection": _w("Pohdinta", "Eftertanke", "Reflection", "Mietittävä"),
}
