"""What a participant's tablet says during a check-in, in Finnish, Swedish, English and easy
Finnish. The consent wording has an id: the id stored with a consent says exactly which words
the participant agreed to, so a changed wording gets a new id."""

from __future__ import annotations

from engine import LocalizedText, in_four

__all__ = ["CONSENT_TEXT_ID", "REPORT_CONSENT_IDS", "consent_text", "say"]

#: The wording the tablets show now. ``piiri-consent-1`` did not yet say that answers may be
#: used in anonymous reports; ``piiri-consent-2`` does.
CONSENT_TEXT_ID = "piiri-consent-2"

#: The wordings that allow a participant's answers in the organisation's anonymous reports
#: (group totals from five respondents): only answers given under one of these count there.
REPORT_CONSENT_IDS = frozenset({"piiri-consent-2"})


def consent_text(months: int) -> LocalizedText:
    """What is stored, who sees it, for how long, and that it can be withdrawn."""
    return in_four(
        f"Vastauksesi tallennetaan salattuina. Niitä näkevät vain sinä ja ryhmän ohjaaja, ja "
        f"käytte ne läpi yhdessä. Muut ryhmässä eivät näe vastauksiasi: yhteisellä näytöllä "
        f"näkyy vain, kuinka moni on valmis. Vastaukset poistetaan {months} kuukauden "
        f"kuluttua jakson päättymisestä tai heti, kun pyydät. Voit perua suostumuksesi milloin "
        f"tahansa, ja silloin tämän kerran vastaukset poistetaan. Vastauksia voidaan käyttää "
        f"myös organisaation nimettömissä raporteissa, vain koko ryhmien yhteislukuina "
        f"vähintään viideltä vastaajalta, niin ettei ketään voi tunnistaa. Vastaaminen on "
        f"vapaaehtoista.",
        f"Dina svar sparas krypterade. Bara du och gruppens ledare ser dem, och ni går igenom "
        f"dem tillsammans. De andra i gruppen ser inte dina svar: på den gemensamma skärmen "
        f"syns bara hur många som är klara. Svaren raderas {months} månader efter att perioden "
        f"har slutat, eller genast om du ber om det. Du kan när som helst ta tillbaka ditt "
        f"samtycke, och då raderas svaren från den här gången. Svaren kan också användas i "
        f"organisationens anonyma rapporter, bara som hela gruppers sammanlagda siffror från "
        f"minst fem som svarat, så att ingen kan kännas igen. Det är frivilligt att svara.",
        f"Your answers are stored encrypted. Only you and the group leader see them, and you "
        f"go through them together. The others in the group do not see your answers: the "
        f"shared screen only shows how many are done. The answers are deleted {months} months "
        f"after the period ends, or straight away if you ask. You can withdraw your consent at "
        f"any time, and then this time's answers are deleted. Your answers may also be used in "
        f"the organisation's anonymous reports, only as whole groups' figures from at least "
        f"five people who answered, so that nobody can be recognised. Answering is "
        f"voluntary.",
        f"Vastauksesi tallennetaan turvallisesti. Vain sinä ja ohjaaja näette ne. Katsotte "
        f"vastaukset yhdessä. Muut ryhmässä eivät näe vastauksia. Yhteisellä näytöllä näkyy "
        f"vain, kuinka moni on valmis. Vastaukset poistetaan {months} kuukautta jakson jälkeen. "
        f"Voit pyytää, että ne poistetaan heti. Voit muuttaa mielesi milloin vain. Silloin "
        f"vastaukset poistetaan. Vastauksia voidaan käyttää myös raporteissa. Silloin "
        f"mukana on vain koko ryhmän yhteiset luvut. Ketään ei voi tunnistaa. Sinun ei ole "
        f"pakko vastata.")


_TEXTS: dict[str, LocalizedText] = {
    "consent_title": in_four("Ennen kuin aloitat", "Innan du börjar", "Before you start",
                             "Ennen kuin aloitat"),
    "needs_member": in_four(
        "Tätä laitetta ei ole vielä yhdistetty nimeesi. Pyydä ohjaajaa yhdistämään se, niin "
        "voit vastata. Voit myös jättää tämän kerran väliin.",
        "Den här enheten är ännu inte kopplad till ditt namn. Be ledaren koppla den, så kan "
        "du svara. Du kan också hoppa över den här gången.",
        "This tablet is not linked to your name yet. Ask the group leader to link it, and then "
        "you can answer. You can also leave this one out.",
        "Tämä laite ei ole vielä sinun nimelläsi. Pyydä ohjaajaa auttamaan. Voit myös jättää "
        "tämän väliin."),
    "not_this_time": in_four("Ei tällä kertaa", "Inte den här gången", "Not this time",
                             "Ei nyt"),
    "question_of": in_four("Kysymys {n}/{total}", "Fråga {n} av {total}",
                           "Question {n} of {total}", "Kysymys {n}/{total}"),
    "skip": in_four("Ohita tämä kysymys", "Hoppa över frågan", "Skip this question", "Ohita"),
    "finish_now": in_four("Lopeta tähän", "Sluta här", "Stop here", "Lopeta nyt"),
    "withdraw": in_four("Peru suostumus ja poista vastaukseni",
                        "Ta tillbaka samtycket och radera mina svar",
                        "Withdraw my consent and delete my answers",
                        "Poista minun vastaukset"),
    "withdraw_sure": in_four(
        "Poistetaanko tämän kerran vastauksesi? Niitä ei voi palauttaa.",
        "Ska dina svar från den här gången raderas? De kan inte återställas.",
        "Delete your answers from this time? They cannot be brought back.",
        "Poistetaanko vastaukset? Niitä ei saa takaisin."),
    "yes": in_four("Kyllä", "Ja", "Yes", "Kyllä"),
    "no": in_four("Ei", "Nej", "No", "Ei"),
    "your_answer": in_four("Vastauksesi", "Ditt svar", "Your answer", "Sinun vastaus"),
    "thanks": in_four("Kiitos vastauksistasi!", "Tack för dina svar!",
                      "Thank you for your answers!", "Kiitos vastauksista!"),
    "summary_title": in_four("Oma yhteenvetosi", "Din egen sammanfattning", "Your own summary",
                             "Sinun vastaukset"),
    "summary_body": in_four(
        "Pidempi palkki tarkoittaa, että asia sujuu sinusta paremmin. Vain sinä näet tämän.",
        "En längre stapel betyder att det känns bättre för dig. Bara du ser det här.",
        "A longer bar means that things feel better to you. Only you can see this.",
        "Pitkä palkki tarkoittaa, että asia menee hyvin. Vain sinä näet tämän."),
    "summary_first": in_four(
        "Tämä oli ensimmäinen arviosi. Seuraavalla kerralla näet tässä myös, mikä on muuttunut.",
        "Det här var din första bedömning. Nästa gång ser du här också vad som har förändrats.",
        "This was your first check-in. Next time you will also see here what has changed.",
        "Tämä oli sinun ensimmäinen arvio. Ensi kerralla näet, mikä on muuttunut."),
    "summary_warm": in_four(
        "Jokainen vastaus on arvokas, myös ohitettu. Ohjaaja käy vastaukset kanssasi läpi.",
        "Varje svar är värdefullt, också ett som du hoppade över. Ledaren går igenom svaren "
        "med dig.",
        "Every answer counts, skipped ones too. The group leader will go through them with you.",
        "Kaikki vastaukset ovat tärkeitä. Ohjaaja katsoo vastaukset sinun kanssa."),
    "now": in_four("Nyt", "Nu", "Now", "Nyt"),
    "before": in_four("Viime kerralla", "Förra gången", "Last time", "Viime kerralla"),
    "saved_no_scores": in_four("Vastauksesi on tallennettu.", "Dina svar har sparats.",
                               "Your answers have been saved.", "Vastaukset on tallennettu."),
    "declined": in_four(
        "Selvä. Mitään ei tallennettu. Voit odottaa rauhassa, kunnes muut ovat valmiita.",
        "Okej. Ingenting sparades. Du kan vänta i lugn och ro tills de andra är klara.",
        "That's fine. Nothing was stored. You can wait calmly until the others are done.",
        "Selvä. Mitään ei tallennettu. Voit odottaa, kun muut vastaavat."),
    "withdrawn": in_four(
        "Vastauksesi tältä kerralta on poistettu. Mitään ei ole tallennettu.",
        "Dina svar från den här gången har raderats. Ingenting är sparat.",
        "Your answers from this time have been deleted. Nothing is stored.",
        "Vastaukset on poistettu. Mitään ei ole tallennettu."),
    "over": in_four("Oma arvio on jo päättynyt.", "Bedömningen är redan avslutad.",
                    "The check-in has already ended.", "Oma arvio on loppunut."),
    "stale": in_four(
        "Tähän kysymykseen on jo vastattu. Tässä on seuraava.",
        "Den frågan har redan ett svar. Här är nästa.",
        "That question already has its answer. Here is the next one.",
        "Tähän on jo vastattu. Tässä on seuraava kysymys."),
    "bad_value": in_four(
        "Vastausta ei voitu lukea. Kokeile uudelleen tai ohita kysymys.",
        "Svaret kunde inte läsas. Försök igen eller hoppa över frågan.",
        "The answer could not be read. Try again, or skip the question.",
        "Vastaus ei mennyt perille. Kokeile uudelleen."),
    "identity_code": in_four(
        "Älä kirjoita henkilötunnusta. Vastausta ei tallennettu.",
        "Skriv inte en personbeteckning. Svaret sparades inte.",
        "Please do not write a personal identity code. The answer was not saved.",
        "Älä kirjoita henkilötunnusta. Vastausta ei tallennettu."),
    "not_saved": in_four(
        "Vastausta ei voitu tallentaa. Kerro ohjaajalle. Mitään ei muuttunut.",
        "Svaret kunde inte sparas. Säg till ledaren. Ingenting ändrades.",
        "The answer could not be saved. Please tell the group leader. Nothing was changed.",
        "Vastaus ei tallentunut. Kerro ohjaajalle."),
    "already_answering": in_four(
        "Tällä nimellä vastataan jo toisella laitteella.",
        "Någon svarar redan med det här namnet på en annan enhet.",
        "Someone is already answering under this name on another tablet.",
        "Tällä nimellä vastataan jo toisella laitteella."),
}


def say(key: str, **params: object) -> LocalizedText:
    text = _TEXTS[key]
    if not params:
        return text
    return LocalizedText({lang: value.format(**params) for lang, value in text.root.items()})
