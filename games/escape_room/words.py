"""The words of the escape room, in every first-class language.

Wrong answers get warm words, never a refusal or a mark against anyone: "not yet" is a step
towards the answer. Colour and direction names follow the tablet's code keys, so a clue that
says "red" matches the key that says "red".
"""

from engine import LocalizedText, in_four

_w = in_four


LANGUAGES = ("fi", "sv", "en", "fi-x-selko")

#: The leader's words for what the records count.
CLUES_SHARED = _w("Jaettuja vihjeitä", "Delade ledtrådar", "Clues shared", "Jaettuja vihjeitä")
LOCKS_OPENED = _w("Avattuja lukkoja", "Öppnade lås", "Locks opened", "Avattuja lukkoja")

TITLE = _w("Pakohuone", "Flyktrum", "Escape room", "Pakohuone")
DESCRIPTION = _w(
    "Yhteistyöpeli: jokaisella tabletilla on eri vihjeet, joten ryhmä pääsee ulos vain "
    "puhumalla yhdessä. Ei pisteitä, ei kiirettä.",
    "Ett samarbetsspel: varje surfplatta har olika ledtrådar, så gruppen kommer ut bara genom "
    "att prata tillsammans. Inga poäng, ingen brådska.",
    "A co-operative game: each tablet holds different clues, so the group only gets out by "
    "talking together. No points, no hurry.",
    "Peli, jossa autetaan toisia. Jokaisella on eri vihjeet. Puhukaa yhdessä. Ei pisteitä. "
    "Ei kiirettä.",
)

# -- the intro -------------------------------------------------------------------------------

READY = _w("Olemme valmiita", "Vi är redo", "We are ready", "Olemme valmiita")
INTRO_NOTE = _w(
    "Kun kaikki ovat kuulleet tarinan, painakaa jollakin tabletilla ”Olemme valmiita”.",
    "När alla har hört berättelsen, tryck på ”Vi är redo” på någon av surfplattorna.",
    "When everyone has heard the story, tap “We are ready” on any tablet.",
    "Kuunnelkaa ensin tarina. Painakaa sitten ”Olemme valmiita”.",
)
INTRO_TABLET = _w(
    "Kun huone aukeaa, näet tässä omat vihjeesi. Ne ovat vain sinun tabletillasi, joten kerro "
    "muille, mitä niissä lukee.",
    "När rummet öppnas ser du dina egna ledtrådar här. De finns bara på din surfplatta, så "
    "berätta för de andra vad som står i dem.",
    "When the room opens you will see your own clues here. Only your tablet has them, so tell "
    "the others what they say.",
    "Pian näet tässä omat vihjeesi. Muut eivät näe niitä. Kerro muille, mitä vihjeissä lukee.",
)
OPEN_ROOM = _w("Avaa huone", "Öppna rummet", "Open the room", "Avaa huone")

# -- clues -----------------------------------------------------------------------------------

READ_CLUE = _w("Lue vihjeesi: {title}", "Läs din ledtråd: {title}", "Read your clue: {title}",
               "Lue vihje: {title}")
YOUR_CLUE = _w("Sinun vihjeesi: {title}", "Din ledtråd: {title}", "Your clue: {title}",
               "Oma vihje: {title}")
SHOW_ON_SCREEN = _w("Näytä isolla näytöllä", "Visa på den stora skärmen",
                    "Show on the big screen", "Näytä isolla näytöllä")
ON_SCREEN_CLUE = _w("Vihje kaikille: {title}", "Ledtråd för alla: {title}",
                    "A clue for everyone: {title}", "Vihje kaikille: {title}")
NO_CLUES_NOW = _w(
    "Sinulla ei ole juuri nyt omaa vihjettä avoimiin lukkoihin. Voit auttaa kuuntelemalla, "
    "kysymällä ja kokeilemalla vastauksia.",
    "Just nu har du ingen egen ledtråd till de öppna låsen. Du kan hjälpa till genom att "
    "lyssna, fråga och pröva svar.",
    "Right now you have no clue of your own for the open locks. You can help by listening, "
    "asking and trying answers.",
    "Sinulla ei ole nyt omaa vihjettä. Voit silti auttaa. Kuuntele ja kysy. Kokeile vastauksia.",
)
SHOW_CLUE_LEADER = _w("Näytä vihje isolla näytöllä", "Visa en ledtråd på den stora skärmen",
                      "Show a clue on the big screen", "Näytä vihje isolla näytöllä")
CLEAR_SCREEN = _w("Poista vihjeet isolta näytöltä", "Ta bort ledtrådarna från den stora "
                  "skärmen", "Take the clues off the big screen",
                  "Poista vihjeet isolta näytöltä")

# -- locks -----------------------------------------------------------------------------------

STEP_OF = _w("Vaihe {n}/{total}", "Steg {n} av {total}", "Step {n} of {total}",
             "Vaihe {n}/{total}")
ENTER_CODE = _w("Syötä koodi", "Skriv in koden", "Enter the code", "Kirjoita koodi")
TYPE_ANSWER = _w("Kirjoita vastaus", "Skriv svaret", "Write the answer", "Kirjoita vastaus")
PUT_IN_ORDER = _w("Laita järjestykseen", "Ställ i ordning", "Put in order",
                  "Laita oikeaan järjestykseen")
MATCH_PAIRS = _w("Yhdistä parit", "Para ihop", "Match the pairs", "Etsi parit")
CHOOSE_PLACE = _w("Valitse paikka", "Välj platsen", "Choose the place", "Valitse paikka")
CHOOSE_ONE = _w("Valitse yksi", "Välj ett", "Choose one", "Valitse yksi")
AREA_OPTION = _w("{letter}: {label}", "{letter}: {label}", "{letter}: {label}",
                 "{letter}: {label}")
ASK_HINT = _w("Pyydä vinkki", "Be om ett tips", "Ask for a hint", "Pyydä vinkki")
HINT_TITLE = _w("Vinkki {n}: {title}", "Tips {n}: {title}", "Hint {n}: {title}",
                "Vinkki {n}: {title}")
NOT_YET = _w(
    "Ei vielä. Katsokaa vihjeitä yhdessä ja kokeilkaa uudelleen.",
    "Inte än. Titta på ledtrådarna tillsammans och försök igen.",
    "Not yet. Look at the clues together and try again.",
    "Ei vielä. Katsokaa vihjeitä yhdessä. Kokeilkaa sitten uudelleen.",
)
RESTING = _w(
    "Lukko lepää hetken. Jutelkaa sillä välin vihjeistä yhdessä – lukkoa voi taas kokeilla "
    "pian.",
    "Låset vilar en stund. Prata om ledtrådarna tillsammans under tiden – snart kan ni pröva "
    "igen.",
    "The lock is resting for a moment. Talk about the clues together meanwhile – you can try "
    "it again soon.",
    "Lukko lepää hetken. Puhukaa sillä aikaa vihjeistä. Voitte pian kokeilla uudelleen.",
)
RESTING_FOR = _w(
    "Lukko lepää vielä noin {seconds} sekuntia. Jutelkaa sillä välin vihjeistä yhdessä.",
    "Låset vilar ungefär {seconds} sekunder till. Prata om ledtrådarna tillsammans under tiden.",
    "The lock rests for about {seconds} more seconds. Talk about the clues together meanwhile.",
    "Lukko lepää vielä {seconds} sekuntia. Puhukaa sillä aikaa vihjeistä.",
)
STEP_DONE = _w("Vaihe {n}/{total} on ratkaistu! Nyt seuraava vaihe.",
               "Steg {n} av {total} är löst! Nu nästa steg.",
               "Step {n} of {total} is solved! On to the next step.",
               "Vaihe {n}/{total} on valmis. Nyt tulee seuraava vaihe.")
OPENED = _w("Auki: {title}", "Öppet: {title}", "Open: {title}", "Auki: {title}")
LOOK_TOGETHER = _w(
    "Etsikää vihjeitä yhdessä. Jokaisella tabletilla on eri vihjeet – kertokaa toisillenne, "
    "mitä omassanne lukee.",
    "Leta ledtrådar tillsammans. Varje surfplatta har olika ledtrådar – berätta för varandra "
    "vad som står på er egen.",
    "Look for clues together. Each tablet has different clues – tell each other what yours "
    "says.",
    "Etsikää vihjeitä yhdessä. Jokaisella on eri vihjeet. Kertokaa omat vihjeet toisillenne.",
)
LOCKS_PROGRESS = _w("Lukkoja auki {n}/{total}", "Öppna lås {n} av {total}",
                    "Locks open: {n} of {total}", "Lukkoja auki {n}/{total}")

# -- refusals (a wrong answer is never one of these) -----------------------------------------

ALREADY_OPEN = _w("Tämä lukko on jo auki.", "Det här låset är redan öppet.",
                  "This lock is already open.", "Tämä lukko on jo auki.")
NOT_OPEN_YET = _w("Tähän lukkoon ei pääse vielä. Ratkaiskaa ensin muut avoimet lukot.",
                  "Det här låset går inte att nå än. Lös de öppna låsen först.",
                  "This lock cannot be reached yet. Solve the open locks first.",
                  "Tätä lukkoa ei voi vielä avata. Avatkaa ensin muut lukot.")
STEP_MOVED_ON = _w("Tämä vaihe on jo ratkaistu. Katsokaa seuraavaa vaihetta.",
                   "Det här steget är redan löst. Titta på nästa steg.",
                   "This step is already solved. Look at the next step.",
                   "Tämä vaihe on jo valmis. Katsokaa seuraavaa vaihetta.")
NO_MORE_HINTS = _w("Kaikki tämän lukon vinkit on jo annettu. Voitte kysyä ohjaajalta.",
                   "Alla tips för det här låset har redan getts. Ni kan fråga ledaren.",
                   "All the hints for this lock are out already. You can ask the group leader.",
                   "Kaikki vinkit on jo annettu. Kysykää ohjaajalta.")
NO_HINT_TO_GIVE = _w("Yhteenkään avoimeen lukkoon ei ole enää vinkkejä.",
                     "Det finns inga fler tips till de öppna låsen.",
                     "There are no more hints for the open locks.",
                     "Vinkkejä ei ole enää.")
NOT_YOUR_CLUE = _w("Tätä vihjettä ei ole sinun tabletillasi.",
                   "Den här ledtråden finns inte på din surfplatta.",
                   "This clue is not on your tablet.", "Tämä vihje ei ole sinun.")
UNKNOWN_CLUE = _w("Tätä vihjettä ei ole tässä huoneessa.", "Den ledtråden finns inte i rummet.",
                  "There is no such clue in this room.", "Tätä vihjettä ei ole.")
UNKNOWN_PUZZLE = _w("Tätä lukkoa ei ole tässä huoneessa.", "Det låset finns inte i rummet.",
                    "There is no such lock in this room.", "Tätä lukkoa ei ole.")
OTHER_ROOM = _w("Tämä kuuluu toiseen huoneeseen kuin nyt pelattava.",
                "Det här hör till ett annat rum än det som spelas nu.",
                "That belongs to another room than the one being played.",
                "Tämä on toisesta huoneesta.")
BAD_ANSWER = _w("Vastausta ei saatu luettua. Kokeile uudelleen.",
                "Svaret kunde inte läsas. Försök igen.",
                "The answer could not be read. Please try again.",
                "Vastaus ei tullut perille. Kokeile uudelleen.")

# -- the debrief -----------------------------------------------------------------------------

PATH_TITLE = _w("Näin etenimme", "Så här gick vi fram", "The way we came",
                "Näin etenimme")
PATH_HINTS = _w(" ({n} vinkkiä)", " ({n} tips)", " ({n} hints)", " ({n} vinkkiä)")
PATH_ONE_HINT = _w(" (1 vinkki)", " (1 tips)", " (1 hint)", " (1 vinkki)")
PATH_LEADER = _w(" (ohjaaja avasi)", " (ledaren öppnade)", " (opened by the leader)",
                 " (ohjaaja avasi)")
PATH_EMPTY = _w("Tällä kertaa lukkoja ei avattu – ja sekin on hyvä alku.",
                "Den här gången öppnades inga lås – också det är en bra början.",
                "No locks were opened this time – and that is a fine start too.",
                "Tänään lukot jäivät kiinni. Se on hyvä alku.")
DEBRIEF_TITLE = _w("Jutellaan yhdessä", "Vi pratar tillsammans", "Let us talk together",
                   "Puhutaan yhdessä")
QUESTION = _w("Kysymys {n}", "Fråga {n}", "Question {n}", "Kysymys {n}")
NOT_ESCAPED_TITLE = _w("Tähän päästiin yhdessä", "Så här långt kom vi tillsammans",
                       "This is how far we came together", "Tähän pääsimme yhdessä")
NOT_ESCAPED = _w(
    "Huone jäi tällä kertaa kesken, ja se on ihan hyvä. Tärkeintä oli tehdä yhdessä.",
    "Rummet blev inte färdigt den här gången, och det är helt i sin ordning. Det viktigaste "
    "var att göra det tillsammans.",
    "The room was not finished this time, and that is quite all right. What mattered was "
    "doing it together.",
    "Huone jäi kesken. Se ei haittaa. Tärkeintä oli tehdä yhdessä.",
)

# -- the leader's panel ----------------------------------------------------------------------

GIVE_HINT = _w("Anna vinkki ryhmälle", "Ge gruppen ett tips", "Give the group a hint",
               "Anna vinkki")
OPEN_LOCK = _w("Avaa lukko ryhmän puolesta", "Öppna ett lås åt gruppen",
               "Open a lock for the group", "Avaa lukko")
ROOM_INFO = _w("{title}: lukkoja auki", "{title}: öppna lås", "{title}: locks open",
               "{title}: lukkoja auki")
HINTS_INFO = _w("Vinkkejä käytetty", "Tips som använts", "Hints used", "Vinkkejä")
ANSWER_INFO = _w("Vastaus – {title}", "Svar – {title}", "Answer – {title}",
                 "Vastaus – {title}")
AWAY_INFO = _w("{name} on poissa; hänellä on vihjeitä lukkoihin",
               "{name} är borta och har ledtrådar till låsen",
               "{name} is away and holds clues for the locks",
               "{name} on poissa. Hänellä on vihjeitä")
RESTING_INFO = _w("Lepää (sekuntia) – {title}", "Vilar (sekunder) – {title}",
                  "Resting (seconds) – {title}", "Lepää – {title}")
LEADER_CLUE_OPTION = _w("{room} – {title} – vihje {n}", "{room} – {title} – ledtråd {n}",
                        "{room} – {title} – clue {n}", "{room} – {title} – vihje {n}")
LEADER_PUZZLE_OPTION = _w("{room} – {title}", "{room} – {title}", "{room} – {title}",
                          "{room} – {title}")

# -- options and leader payload fields -------------------------------------------------------

ROOM_OPTION = {"fi": "Huone", "sv": "Rum", "en": "Room", "fi-x-selko": "Huone"}
TRIES_OPTION = {"fi": "Väärät yritykset ennen lukon lepoa",
                "sv": "Fel försök innan låset vilar",
                "en": "Wrong tries before the lock rests",
                "fi-x-selko": "Väärät yritykset ennen lepoa"}
WINDOW_OPTION = {"fi": "Yritysten aikaikkuna (sekuntia)",
                 "sv": "Tidsfönster för försöken (sekunder)",
                 "en": "Time window for the tries (seconds)",
                 "fi-x-selko": "Aika yrityksille (sekuntia)"}
REST_OPTION = {"fi": "Lukon lepo (sekuntia)", "sv": "Låsets vila (sekunder)",
               "en": "Lock rest (seconds)", "fi-x-selko": "Lukon lepo (sekuntia)"}
CLUE_FIELD = {"fi": "Vihje", "sv": "Ledtråd", "en": "Clue", "fi-x-selko": "Vihje"}
PUZZLE_FIELD = {"fi": "Lukko", "sv": "Lås", "en": "Lock", "fi-x-selko": "Lukko"}
ANY_PUZZLE_FIELD = {"fi": "Lukko (tyhjä: se, joka on saanut vähiten vinkkejä)",
                    "sv": "Lås (tomt: det som fått minst tips)",
                    "en": "Lock (empty: the one with the fewest hints so far)",
                    "fi-x-selko": "Lukko (tyhjä: vähiten vinkkejä)"}

#: Names of the tablet's colour and direction keys (facilitator/static/tablet.js), for the
#: leader's view of an answer.
SYMBOL_NAMES: dict[str, LocalizedText] = {
    "orange": _w("oranssi", "orange", "orange", "oranssi"),
    "sky": _w("vaaleansininen", "ljusblå", "sky blue", "vaaleansininen"),
    "green": _w("vihreä", "grön", "green", "vihreä"),
    "yellow": _w("keltainen", "gul", "yellow", "keltainen"),
    "blue": _w("sininen", "blå", "blue", "sininen"),
    "vermilion": _w("punainen", "röd", "red", "punainen"),
    "purple": _w("vaaleanpunainen", "rosa", "pink", "vaaleanpunainen"),
    "grey": _w("harmaa", "grå", "grey", "harmaa"),
    "up": _w("ylös", "upp", "up", "ylös"),
    "right": _w("oikealle", "höger", "right", "oikealle"),
    "down": _w("alas", "ner", "down", "alas"),
    "left": _w("vasemmalle", "vänster", "left", "vasemmalle"),
}
