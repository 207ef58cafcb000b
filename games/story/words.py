"""The words of the story activity, in every first-class language (fi, sv, en, selkosuomi)."""

from engine import in_four

_w = in_four

TITLE = _w("Tarina", "Berättelsen", "The story", "Tarina")
DESCRIPTION = _w(
    "Ryhmä lukee tarinaa yhdessä ja äänestää, miten se jatkuu. Kukaan ei näe, kuka äänesti "
    "mitä, ja jokaisen äänestyksen voi ohittaa.",
    "Gruppen läser en berättelse tillsammans och röstar om hur den fortsätter. Ingen ser vem "
    "som röstade på vad, och man kan alltid hoppa över en omröstning.",
    "The group reads a story together and votes on how it goes on. Nobody sees who voted for "
    "what, and any vote can be passed.",
    "Luemme tarinaa yhdessä. Äänestämme, miten tarina jatkuu. Kukaan ei näe, mitä sinä "
    "äänestit. Voit aina ohittaa.",
)

#: The leader's words for what the records count.
VOTES_CAST = _w("Ääniä annettu", "Röster lagda", "Votes cast", "Ääniä")
PROPOSALS_MADE = _w("Omia vaihtoehtoja ehdotettu", "Egna alternativ föreslagna",
                    "Own options proposed", "Omia ehdotuksia")
PROPOSALS_ACCEPTED = _w("Omia vaihtoehtoja otettu mukaan", "Egna alternativ som togs med",
                        "Own options taken in", "Omia ehdotuksia mukana")

DEFAULT_QUESTION = _w("Mitä seuraavaksi tapahtuu?", "Vad händer sedan?", "What happens next?",
                      "Mitä tapahtuu seuraavaksi?")
READ = _w("Luettu", "Läst", "I have read it", "Luin tämän")
READ_NOTE = _w("Tarina jatkuu, kun kaikki ovat lukeneet tai ohjaaja jatkaa.",
               "Berättelsen fortsätter när alla har läst eller när ledaren går vidare.",
               "The story goes on when everyone has read it, or when the leader moves on.",
               "Tarina jatkuu, kun kaikki ovat valmiita. Myös ohjaaja voi jatkaa.")
VOTE_NOW = _w("Valitse, miten tarina jatkuu. Voit myös ohittaa.",
              "Välj hur berättelsen fortsätter. Du kan också hoppa över.",
              "Choose how the story goes on. You can also pass.",
              "Valitse, miten tarina jatkuu. Voit myös ohittaa.")
YOUR_VOTE = _w("Äänestit: {choice}", "Du röstade: {choice}", "You voted: {choice}",
               "Sinun äänesi: {choice}")
CAN_CHANGE = _w("Voit vaihtaa ääntäsi, kunnes äänestys päättyy.",
                "Du kan byta din röst tills omröstningen stänger.",
                "You can change your vote until the vote closes.",
                "Voit vaihtaa äänen, kunnes äänestys loppuu.")
YOU_PASSED = _w("Ohitit tämän äänestyksen. Se on ihan hyvä.",
                "Du hoppade över den här omröstningen. Det går bra.",
                "You passed this vote. That is fine.",
                "Ohitit tämän äänestyksen. Se on hyvä.")
HIDDEN = _w("Tulos näytetään, kun äänestys päättyy.",
            "Resultatet visas när omröstningen stänger.",
            "The result is shown when the vote closes.",
            "Näet tuloksen, kun äänestys loppuu.")
RULE = {
    "draw": _w("Jos äänet menevät tasan, arpa ratkaisee.",
               "Om rösterna blir lika avgör lotten.",
               "If the votes are tied, a draw decides.",
               "Jos äänet menevät tasan, arpa päättää."),
    "leader": _w("Jos äänet menevät tasan, ohjaaja päättää.",
                 "Om rösterna blir lika avgör ledaren.",
                 "If the votes are tied, the leader decides.",
                 "Jos äänet menevät tasan, ohjaaja päättää."),
}
CHOSEN = {
    "vote": _w("Ryhmä valitsi: {choice}", "Gruppen valde: {choice}", "The group chose: {choice}",
               "Ryhmä valitsi: {choice}"),
    "draw": _w("Äänet menivät tasan. Arpa valitsi: {choice}",
               "Rösterna blev lika. Lotten valde: {choice}",
               "The votes were tied. The draw chose: {choice}",
               "Äänet menivät tasan. Arpa valitsi: {choice}"),
    "leader": _w("Ohjaaja valitsi: {choice}", "Ledaren valde: {choice}",
                 "The leader chose: {choice}", "Ohjaaja valitsi: {choice}"),
}
LEADER_DECIDES = _w("Äänet menivät tasan. Ohjaaja päättää, miten tarina jatkuu.",
                    "Rösterna blev lika. Ledaren bestämmer hur berättelsen fortsätter.",
                    "The votes were tied. The leader decides how the story goes on.",
                    "Äänet menivät tasan. Ohjaaja päättää, miten tarina jatkuu.")
TIME_UP = _w("Aika on kulunut. Äänestys sulkeutuu, kun ryhmä on valmis.",
             "Tiden har gått. Omröstningen stänger när gruppen är klar.",
             "The time is up. The vote closes when the group is ready.",
             "Aika loppui. Äänestys loppuu, kun ryhmä on valmis.")
THE_END = _w("Loppu", "Slut", "The end", "Loppu")
PATH = _w("Meidän polkumme tarinassa", "Vår väg genom berättelsen", "The path we took",
          "Meidän polku tarinassa")
TALK = _w("Puhutaan yhdessä", "Vi pratar tillsammans", "Let's talk together",
          "Puhutaan yhdessä")
OPTION_LINE = _w("{n}. {choice}", "{n}. {choice}", "{n}. {choice}", "{n}. {choice}")
VOTES_LINE = _w("{choice}: {count}", "{choice}: {count}", "{choice}: {count}",
                "{choice}: {count}")

# -- the leader's buttons and fields ---------------------------------------------------------

GO_ON = _w("Jatka tarinaa", "Fortsätt berättelsen", "Go on with the story", "Jatka")
CLOSE_VOTE = _w("Sulje äänestys", "Stäng omröstningen", "Close the vote", "Sulje äänestys")
REOPEN = _w("Avaa äänestys uudelleen", "Öppna omröstningen igen", "Reopen the vote",
            "Avaa äänestys uudelleen")
DECIDE = _w("Päätä itse", "Bestäm själv", "Decide", "Päätä itse")
BACK = _w("Edelliseen kohtaukseen", "Till föregående scen", "Back one scene",
          "Takaisin edelliseen")
SKIP_SCENE = _w("Ohita herkkä kohtaus", "Hoppa över känslig scen", "Skip a sensitive scene",
                "Ohita herkkä kohta")

# -- refusals --------------------------------------------------------------------------------

NOT_NOW = _w("Tämä ei käy juuri nyt.", "Det går inte just nu.", "That is not possible right now.",
             "Tämä ei käy nyt.")
ALREADY_VOTED = _w("Olet jo äänestänyt. Tässä ryhmässä ääntä ei vaihdeta.",
                   "Du har redan röstat. I den här gruppen byter man inte röst.",
                   "You have already voted. In this group votes are not changed.",
                   "Äänestit jo. Ääntä ei voi nyt vaihtaa.")
NO_SUCH_CHOICE = _w("Tätä vaihtoehtoa ei ole tässä äänestyksessä.",
                    "Det alternativet finns inte i den här omröstningen.",
                    "That option is not in this vote.",
                    "Tätä vaihtoehtoa ei ole.")
AT_START = _w("Tarina on alussa: taaksepäin ei voi mennä.",
              "Berättelsen är i början: det går inte att gå bakåt.",
              "The story is at its start: there is no scene before this one.",
              "Tarina on alussa. Taaksepäin ei voi mennä.")
NOT_SENSITIVE = _w("Tätä kohtausta ei ole merkitty herkäksi. Voit jatkaa tarinaa tavallisesti.",
                   "Scenen är inte märkt som känslig. Du kan fortsätta som vanligt.",
                   "This scene is not marked sensitive. You can go on with the story as usual.",
                   "Tämä kohta ei ole herkkä. Voit jatkaa tavallisesti.")
DECIDE_FIRST = _w("Äänet menivät tasan: valitse ensin, miten tarina jatkuu.",
                  "Rösterna blev lika: välj först hur berättelsen fortsätter.",
                  "The votes were tied: first choose how the story goes on.",
                  "Äänet menivät tasan. Valitse ensin, miten tarina jatkuu.")

# -- the leader's live view ------------------------------------------------------------------

STORY_INFO = _w("Tarina", "Berättelse", "Story", "Tarina")
SCENE_INFO = _w("Kohtaus", "Scen", "Scene", "Kohtaus")
VOTED_INFO = _w("Äänestäneitä", "Har röstat", "Have voted", "Äänestäneitä")
OPTIONS_INFO = _w("Vaihtoehdot", "Alternativ", "Options", "Vaihtoehdot")
SENSITIVE_INFO = _w("Herkkä kohtaus", "Känslig scen", "Sensitive scene", "Herkkä kohta")
SENSITIVE_VALUE = _w("kyllä: voit ohittaa sen", "ja: du kan hoppa över den",
                     "yes: you may skip it", "kyllä: voit ohittaa")

# -- write-in options ------------------------------------------------------------------------------
WRITE_INS = _w("Osallistujat voivat ehdottaa omia vaihtoehtojaan (ohjaaja lukee ne ensin)",
               "Deltagarna får föreslå egna alternativ (ledaren läser dem först)",
               "Participants may propose their own options (the leader reads them first)",
               "Osallistujat voivat ehdottaa omia vaihtoehtoja. Ohjaaja lukee ne ensin.")
WRITE_IN_LABEL = _w("Oma vaihtoehto: miten tarina voisi jatkua? Muutama sana riittää.",
                    "Eget alternativ: hur kunde berättelsen fortsätta? Några ord räcker.",
                    "Your own option: how could the story go on? A few words are enough.",
                    "Oma ehdotus: miten tarina jatkuu? Kirjoita muutama sana.")
VOTE_OVER = _w("Tämä äänestys on jo ohi, joten ehdotus ei voi enää tulla mukaan. Palauta se "
               "ystävällisellä sanalla.",
               "Den här omröstningen är redan över, så förslaget kan inte komma med längre. "
               "Ge tillbaka det med ett vänligt ord.",
               "This vote is already over, so the proposal cannot join it any more. Give it back "
               "with a kind word.",
               "Äänestys on jo ohi. Ehdotus ei voi tulla mukaan. Palauta se ystävällisesti.")
BALLOT_FULL = _w("Äänestyksessä on jo yhdeksän vaihtoehtoa.",
                 "Omröstningen har redan nio alternativ.",
                 "The vote already has nine options.",
                 "Äänestyksessä on jo yhdeksän vaihtoehtoa.")
CONTINUE_AT = _w("Jatka omasta vaihtoehdosta kohtaukseen", "Fortsätt från det egna alternativet "
                 "till scenen", "Go on from the write-in to the scene",
                 "Jatka omasta vaihtoehdosta kohtaukseen")
CONTINUE_AT_FIRST = _w("Ryhmän oma vaihtoehto voitti: kerro, miten tarina jatkuu, ja valitse "
                       "kohtaus, josta se jatkuu.",
                       "Gruppens eget alternativ vann: berätta hur berättelsen fortsätter och "
                       "välj scenen där den fortsätter.",
                       "The group's own option won: tell how the story goes on, and pick the "
                       "scene it goes on from.",
                       "Ryhmän oma vaihtoehto voitti. Ohjaaja kertoo, miten tarina jatkuu.")
NO_SUCH_SCENE = _w("Tarinassa ei ole tätä kohtausta.", "Berättelsen har ingen sådan scen.",
                   "The story has no such scene.", "Tarinassa ei ole tätä kohtaa.")
WRITE_INS_INFO = _w("Omat vaihtoehdot", "Egna alternativ", "Write-in options",
                    "Omat vaihtoehdot")
ENDED_NEXT = _w("Tarina päättyi. Keskustelkaa yhdessä, sitten lopeta peli: palaute ja läsnäolot "
                "tulevat sen jälkeen.",
                "Berättelsen är slut. Prata tillsammans och avsluta sedan spelet: responsen och "
                "närvaron kommer därefter.",
                "The story has ended. Talk together, then end the game: the feedback and the "
                "roll call come after that.",
                "Tarina loppui. Puhukaa yhdessä. Sitten ohjaaja lopettaa pelin.")
