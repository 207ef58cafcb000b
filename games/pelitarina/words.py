"""The words of Pelitarina's own screens and buttons, in every first-class language (the
method's words — stages, picks, questions — are content)."""

from engine import in_four

_w = in_four

TITLE = _w("Pelitarina", "Spelberättelse", "Game story", "Pelitarina")
STORIES_TOLD = _w("Tarinoita kerrottu", "Berättelser", "Stories told", "Tarinoita")
SHOWN = _w("Näytetty ryhmälle", "Visat för gruppen", "Shown to the group", "Näytetty")
ENCOURAGEMENTS = _w("Kannustuksia", "Uppmuntringar", "Encouragements sent", "Kannustuksia")
READY_FACT = _w("Elämänjana valmis", "Livslinjen klar", "Life line ready", "Jana valmis")

CONSENT_TITLE = _w("Ennen kuin aloitat", "Innan du börjar", "Before you start",
                   "Ennen kuin aloitat")
CONSENT_YES = _w("Kyllä, aloitetaan", "Ja, vi börjar", "Yes, let's start", "Kyllä, aloitetaan")
CONSENT_NO = _w("Ei nyt", "Inte nu", "Not now", "Ei nyt")
DECLINED = _w("Selvä. Voit kuunnella muita. Sinun ei tarvitse näyttää mitään.",
              "Okej. Du kan lyssna på de andra. Du behöver inte visa något.",
              "All right. You can listen to the others. You don't need to show anything.",
              "Selvä. Voit kuunnella muita.")
BUILD_INTRO = _w("Tämä on vain sinun tabletillasi. Kukaan muu ei näe sitä.",
                 "Det här syns bara på din surfplatta. Ingen annan ser det.",
                 "This is only on your tablet. Nobody else sees it.",
                 "Vain sinä näet tämän.")
STAGES_TITLE = _w("Elämänjanasi", "Din livslinje", "Your life line", "Sinun elämänjanasi")
CHOOSE_STAGE = _w("Valitse elämänvaihe", "Välj ett skede", "Choose a life stage",
                  "Valitse aika")
GAMES_COUNT = _w("{n}/3 peliä", "{n}/3 spel", "{n}/3 games", "{n}/3 peliä")
READY = _w("Elämänjana on valmis", "Livslinjen är klar", "My life line is ready",
           "Valmis")
READY_CONFIRM = _w("Onko elämänjanasi valmis?", "Är din livslinje klar?",
                   "Is your life line ready?", "Oletko valmis?")
WAIT_OTHERS = _w("Valmis! Odotetaan muita.", "Klart! Vi väntar på de andra.",
                 "Done! Waiting for the others.", "Valmis! Odotetaan muita.")
BACK = _w("Takaisin", "Tillbaka", "Back", "Takaisin")
PICK_CATEGORY = _w("Valitse pelin laji", "Välj sorts spel", "Choose a kind of game",
                   "Valitse, millainen peli")
SEARCH = _w("Hae pelin nimellä", "Sök med spelets namn", "Search by the game's name",
            "Hae nimellä")
TYPE_NAME = _w("Kirjoita pelin nimi itse", "Skriv spelets namn själv",
               "Type the game's name yourself", "Kirjoita nimi")
PICK_GAME = _w("Valitse peli", "Välj ett spel", "Choose a game", "Valitse peli")
NO_MATCH = _w("Ei löytynyt. Voit kirjoittaa nimen itse.",
              "Inget hittades. Du kan skriva namnet själv.",
              "Nothing found. You can type the name yourself.",
              "Ei löytynyt. Kirjoita nimi itse.")
STAGE_FULL = _w("Tässä vaiheessa on jo kolme peliä. Poista yksi, jos haluat vaihtaa.",
                "Det här skedet har redan tre spel. Ta bort ett om du vill byta.",
                "This stage already has three games. Remove one to change.",
                "Tässä on jo kolme peliä.")
WHO_WITH = _w("Kenen kanssa? (voit ohittaa)", "Med vem? (du kan hoppa över)",
              "Who with? (you can skip)", "Kenen kanssa?")
FEELINGS = _w("Miltä se tuntui? (voit ohittaa)", "Hur kändes det? (du kan hoppa över)",
              "How did it feel? (you can skip)", "Miltä tuntui?")
GAVE = _w("Mitä se antoi sinulle? (voit ohittaa)", "Vad gav det dig? (du kan hoppa över)",
          "What did it give you? (you can skip)", "Mitä opit?")
REMOVE = _w("Poista tämä peli", "Ta bort spelet", "Remove this game", "Poista")
DONE_GAME = _w("Valmis", "Klar", "Done", "Valmis")
ERASED_ITEM = _w("(poistettu)", "(raderat)", "(erased)", "(poistettu)")

READY_COUNT = _w("{ready}/{total} valmiina", "{ready} av {total} klara", "{ready} of {total} ready",
                 "{ready}/{total} valmiina")
BUILDING = _w("Jokainen tekee omaa elämänjanaansa omalla tabletillaan.",
              "Var och en gör sin livslinje på sin egen surfplatta.",
              "Everyone is making their own life line on their own tablet.",
              "Jokainen tekee omaa janaa tabletilla.")
TELLING = _w("{name} kertoo", "{name} berättar", "{name} is telling", "{name} kertoo")
CHOSE_NOTHING = _w("{name} kertoo ilman kuvia.", "{name} berättar utan bilder.",
                   "{name} is telling without pictures.", "{name} kertoo.")
QUESTION = _w("Kysymys ryhmälle", "En fråga till gruppen", "A question for the group",
              "Kysymys")
WHAT_TO_SHOW = _w("Mitä haluat näyttää ryhmälle?", "Vad vill du visa för gruppen?",
                  "What would you like to show the group?", "Mitä näytät muille?")
SHOW_LINE = _w("Koko elämänjanan", "Hela livslinjen", "My whole life line", "Koko janan")
SHOW_NOTHING = _w("En näytä mitään", "Jag visar inget", "Nothing", "En mitään")
SHOW_STAGE = _w("Vaihe: {label}", "Skede: {label}", "Stage: {label}", "{label}")
SHOW_GAME = _w("Peli: {name}", "Spel: {name}", "Game: {name}", "Peli: {name}")
ON_SCREEN = _w("Ruudulla näkyy nyt vain se, minkä valitsit.",
               "På skärmen syns nu bara det du valde.",
               "The screen shows only what you chose.", "Ruudulla näkyy vain valintasi.")
TOLD = _w("Olen kertonut", "Jag har berättat", "I have told my story", "Valmis")
LISTEN = _w("{name} kertoo. Voit lähettää kannustuksen.",
            "{name} berättar. Du kan skicka en uppmuntran.",
            "{name} is telling. You can send some encouragement.",
            "{name} kertoo. Voit kannustaa.")
NO_LINE = _w("Sinulla ei ole elämänjanaa. Voit kertoa ääneen tai ohittaa.",
             "Du har ingen livslinje. Du kan berätta muntligt eller hoppa över.",
             "You have no life line. You can tell aloud or pass.",
             "Sinulla ei ole janaa. Voit kertoa tai ohittaa.")

SUMMARY_TITLE = _w("Sinun pelisi", "Dina spel", "Your games", "Sinun pelisi")
SUMMARY_OK = _w("Kiitos!", "Tack!", "Thank you!", "Kiitos!")
COMMON_TITLE = _w("Yhteistä meille", "Det vi har gemensamt", "What we have in common",
                  "Yhteistä")
COMMON_GAME = _w("{n} teistä on pelannut: {name}", "{n} av er har spelat: {name}",
                 "{n} of you have played: {name}", "{n} teistä on pelannut: {name}")
COMMON_NONE = _w("Jokaisella on oma tarinansa. Kiitos, että kuuntelitte toisianne.",
                 "Alla har sin egen berättelse. Tack för att ni lyssnade på varandra.",
                 "Everyone has their own story. Thank you for listening to each other.",
                 "Jokaisella on oma tarina. Kiitos!")
THANKS = _w("Kiitos pelitarinoista!", "Tack för spelberättelserna!",
            "Thank you for the game stories!", "Kiitos!")
SHOWN_INFO = _w("Näytetty ruudulla", "Visat på skärmen", "Shown on screen", "Näytetty")
READY_INFO = _w("Elämänjanoja valmiina", "Livslinjer klara", "Life lines ready", "Valmiina")
SHORTER = {"fi": "Lyhyempi elämänjana (vähemmän vaiheita)",
           "sv": "Kortare livslinje (färre skeden)",
           "en": "Shorter life line (fewer stages)"}
INCLUDE_SENSITIVE = {"fi": "Ota mukaan herkät kysymykset", "sv": "Ta med känsliga frågor",
                     "en": "Include sensitive questions"}
