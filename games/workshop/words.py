"""The words of the workshop, in every first-class language."""

from engine import in_four

_w = in_four

TITLE = _w("Työpaja", "Verkstad", "Workshop", "Työpaja")
DESCRIPTION = _w(
    "Ryhmä tekee omia kortteja, kysymyksiä, pakohuoneita tai tarinoita. Ohjaaja lukee "
    "ehdotukset ensin.",
    "Gruppen gör egna kort, frågor, escape rooms eller berättelser. Ledaren läser förslagen "
    "först.",
    "The group makes its own cards, questions, escape rooms or stories. The leader reads the "
    "proposals first.",
    "Ryhmä tekee omia kortteja, huoneita tai tarinoita. Ohjaaja lukee ehdotukset ensin.")
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

# -- a lock of an escape room, proposed part by part -------------------------------------------

KINDS.update({
    "code": _w("Koodilukko", "Kodlås", "Code lock", "Numerolukko"),
    "riddle": _w("Arvoitus", "Gåta", "Riddle", "Arvoitus"),
    "cipher": _w("Salakirjoitus", "Chiffer", "Secret writing", "Salainen viesti"),
    "split": _w("Yhteinen lukko", "Gemensamt lås", "Shared lock", "Yhteinen lukko"),
})
PICK_LOCK = _w("Millainen lukko? Valitse ensin.", "Vilket slags lås? Välj först.",
               "What kind of lock? Choose first.", "Millainen lukko? Valitse ensin.")
LOCK_CHOSEN = _w("Lukon laji: {kind}", "Låsets slag: {kind}", "Kind of lock: {kind}",
                 "Lukon laji: {kind}")
STEP_ANSWER = _w("Vaihe 1/3: kirjoita lukon vastaus. Koodilukossa vain numeroita.",
                 "Steg 1/3: skriv låsets svar. I ett kodlås bara siffror.",
                 "Step 1 of 3: write the lock's answer. A code lock takes numbers only.",
                 "Vaihe 1/3: kirjoita vastaus. Numerolukkoon vain numeroita.")
STEP_CLUE = _w("Vaihe 2/3: kirjoita vihje {n}/3. Jokainen vihje menee eri tabletille.",
               "Steg 2/3: skriv ledtråd {n} av 3. Varje ledtråd går till en annan surfplatta.",
               "Step 2 of 3: write clue {n} of 3. Each clue goes to a different tablet.",
               "Vaihe 2/3: kirjoita vihje {n}/3. Vihjeet menevät eri tableteille.")
STEP_HINT = _w("Vaihe 3/3: kirjoita apu, jonka ohjaaja voi antaa, jos ryhmä jää jumiin.",
               "Steg 3/3: skriv en hjälp som ledaren kan ge om gruppen kör fast.",
               "Step 3 of 3: write a help the leader can give if the group gets stuck.",
               "Vaihe 3/3: kirjoita apu. Ohjaaja antaa sen, jos ryhmä ei keksi.")
SO_FAR = _w("Lukkosi tähän asti: {parts}", "Ditt lås hittills: {parts}",
            "Your lock so far: {parts}", "Lukkosi nyt: {parts}")
ANSWER_IS = _w("vastaus {answer}", "svar {answer}", "answer {answer}", "vastaus {answer}")
CLUES_DONE = _w("Vihjeitä on tarpeeksi", "Det räcker med ledtrådar", "Enough clues",
                "Vihjeitä on tarpeeksi")
FINISH_LOCK_FIRST = _w("Tee ensin tämä lukko valmiiksi.", "Gör först klart det här låset.",
                       "Finish this lock first.", "Tee ensin tämä lukko valmiiksi.")
NOT_NOW = _w("Nyt ei voi.", "Det går inte nu.", "Not now.", "Nyt ei voi.")
ANSWER_SHAPE = _w("Tämän lukon vastaus on numeroita (esimerkiksi 482).",
                  "Det här låsets svar är siffror (till exempel 482).",
                  "This lock's answer is numbers (for example 482).",
                  "Vastaus on numeroita, esimerkiksi 482.")
# What a made lock says where its writer wrote nothing: the same words for every made lock, in
# the draft's language.
LOCK_TITLE = _w("Lukko {n}", "Lås {n}", "Lock {n}", "Lukko {n}")
LOCK_TASK = {
    "code": _w("Mikä on koodi? Lukekaa vihjeenne toisillenne.",
               "Vilken är koden? Läs era ledtrådar för varandra.",
               "What is the code? Read your clues to each other.",
               "Mikä on koodi? Lukekaa vihjeet toisillenne."),
    "riddle": _w("Mikä on vastaus? Lukekaa vihjeenne toisillenne.",
                 "Vad är svaret? Läs era ledtrådar för varandra.",
                 "What is the answer? Read your clues to each other.",
                 "Mikä on vastaus? Lukekaa vihjeet toisillenne."),
}
LOCK_SOLVED = _w("Lukko aukesi!", "Låset öppnades!", "The lock opened!", "Lukko aukesi!")
ANSWER_HINT = _w("Vastaus on: {answer}", "Svaret är: {answer}", "The answer is: {answer}",
                 "Vastaus on: {answer}")
ROOM_INTRO = _w("Tämän huoneen teimme itse. Avatkaa lukot yhdessä.",
                "Det här rummet gjorde vi själva. Öppna låsen tillsammans.",
                "We made this room ourselves. Open the locks together.",
                "Teimme tämän huoneen itse. Avatkaa lukot yhdessä.")
ROOM_OUTRO = _w("Pääsitte ulos! Te teitte tämän huoneen ja ratkaisitte sen.",
                "Ni kom ut! Ni gjorde det här rummet och löste det.",
                "You got out! You made this room and solved it.",
                "Pääsitte ulos! Teitte huoneen ja ratkaisitte sen.")
ROOM_QUESTIONS = [
    _w("Mikä lukko oli hauskin tehdä?", "Vilket lås var roligast att göra?",
       "Which lock was the most fun to make?", "Mikä lukko oli kivoin tehdä?"),
    _w("Mitä teitte yhdessä hyvin?", "Vad gjorde ni bra tillsammans?",
       "What did you do well together?", "Mitä teitte yhdessä hyvin?"),
]

# -- a scene of the group's own story, proposed part by part -----------------------------------

PICK_CHOICES = _w("Montako vaihtoehtoa kohtaukseen tulee?", "Hur många val får scenen?",
                  "How many choices will the scene have?", "Montako vaihtoehtoa?")
CHOICES_COUNT = {"2": _w("Kaksi", "Två", "Two", "Kaksi"),
                 "3": _w("Kolme", "Tre", "Three", "Kolme")}
STEP_SCENE = _w("Vaihe 1/2: kirjoita, mitä tarinassa tapahtuu. Lause tai kaksi riittää.",
                "Steg 1/2: skriv vad som händer i berättelsen. En mening eller två räcker.",
                "Step 1 of 2: write what happens in the story. A sentence or two is enough.",
                "Vaihe 1/2: kirjoita, mitä tarinassa tapahtuu. Lyhyesti riittää.")
STEP_CHOICE = _w("Vaihe 2/2: kirjoita vaihtoehto {n}/{of}. Mitä ryhmä voi valita?",
                 "Steg 2/2: skriv val {n} av {of}. Vad kan gruppen välja?",
                 "Step 2 of 2: write choice {n} of {of}. What can the group choose?",
                 "Vaihe 2/2: kirjoita vaihtoehto {n}/{of}. Mitä ryhmä voi valita?")
SCENE_SO_FAR = _w("Kohtauksesi tähän asti: {parts}", "Din scen hittills: {parts}",
                  "Your scene so far: {parts}", "Kohtauksesi nyt: {parts}")
FINISH_SCENE_FIRST = _w("Kohtauksessa on jo näin monta vaihtoehtoa.",
                        "Scenen har redan så många val.",
                        "The scene has that many choices already.",
                        "Vaihtoehtoja on jo näin monta.")
# What a made story says around the group's scenes: the same words for every made story, in
# every language (the scenes themselves are the group's).
SCENE_TITLE = _w("Kohtaus {n}", "Scen {n}", "Scene {n}", "Kohtaus {n}")
STORY_INTRO = _w("Tämän tarinan kirjoitimme itse. Päättäkää yhdessä, miten se jatkuu.",
                 "Den här berättelsen skrev vi själva. Bestäm tillsammans hur den fortsätter.",
                 "We wrote this story ourselves. Decide together how it goes on.",
                 "Kirjoitimme tämän tarinan itse. Päättäkää yhdessä, mitä tapahtuu.")
END_TITLE = _w("Loppu", "Slut", "The end", "Loppu")
END_TEXT = _w("Tarina päättyy tähän. Kiitos, että kirjoititte ja luitte sen yhdessä.",
              "Berättelsen slutar här. Tack för att ni skrev och läste den tillsammans.",
              "The story ends here. Thank you for writing and reading it together.",
              "Tarina loppuu tähän. Kiitos, että kirjoititte ja luitte sen yhdessä.")
STORY_QUESTIONS = [
    _w("Miltä tämä loppu tuntui?", "Hur kändes det här slutet?", "How did this ending feel?",
       "Miltä loppu tuntui?"),
    _w("Mikä kohta tarinassa oli mukavin kirjoittaa?",
       "Vilken del av berättelsen var roligast att skriva?",
       "Which part of the story was the nicest to write?",
       "Mikä kohta oli kivoin kirjoittaa?"),
]

# -- a participant writes an accepted item in another language ---------------------------------

TRANSLATE = _w("Kirjoita tämä toisella kielellä", "Skriv det här på ett annat språk",
               "Write this in another language", "Kirjoita tämä toisella kielellä")
TRANSLATING = _w("Kirjoitat tämän toisella kielellä: {text}",
                 "Du skriver det här på ett annat språk: {text}",
                 "You are writing this in another language: {text}",
                 "Kirjoitat tämän toisella kielellä: {text}")
PICK_LANGUAGE = _w("Millä kielellä kirjoitat?", "På vilket språk skriver du?",
                   "Which language will you write in?", "Millä kielellä kirjoitat?")
WRITE_IN = _w("Kirjoita se nyt näin: {language}. Ohjaaja lukee sen ensin.",
              "Skriv det nu så här: {language}. Ledaren läser det först.",
              "Now write it like this: {language}. The leader reads it first.",
              "Kirjoita se nyt: {language}. Ohjaaja lukee sen ensin.")
TRANSLATE_BACK = _w("Takaisin omaan ehdotukseen", "Tillbaka till mitt eget förslag",
                    "Back to my own proposal", "Takaisin omaan ehdotukseen")
#: Each language in its own name (the tablet shows them to anyone, whatever their language).
LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English", "fi-x-selko": "selkosuomi"}
