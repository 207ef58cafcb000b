// Naapuri tarvitsee apua – Piirin oma tarina Ink-muodossa (sama teksti kuin stories/a-neighbour-needs-a-hand.yaml).
// Compile: see content/story/ink/README.md.
# title: Naapuri tarvitsee apua

VAR met_oskari = false
VAR asked_others = false
VAR soup = false

-> stairwell

=== stairwell ===
# title: Rappukäytävässä
# question: Mitä Mika tekee?
Lauantaiaamuna Mika vie pahvit ja pullot kierrätykseen. Alaovella hän näkee toisen kerroksen naapurin, Railin. Railin oikea käsi on kipsissä, ja vasemmassa kädessä roikkuu kaksi täyttä kauppakassia. Raili yrittää avata ovea kyynärpäällä.
* [Tarjoutuu kantamaan kassit] -> bags
* [Avaa oven ja kysyy, mitä Railille kuuluu] -> chat

=== bags ===
# title: Painavat kassit
Raili antaa kassit helpottuneena. ”Kiitos. Liukastuin pihalla viime viikolla, ja ranne murtui.” Portaissa hän kertoo, että kipsi on kädessä vielä kuukauden. Tytär asuu Oulussa ja soittaa joka sunnuntai. Kassit ovat painavat: perunoita, maitoa ja koiranruokaa.
-> raili_door

=== chat ===
# title: Kuulumiset
”Voi kiitos”, Raili sanoo ja pujahtaa ovesta. ”Liukastuin pihalla, ja ranne murtui. Kipsi on vielä kuukauden.” Hän nauraa, että yhdellä kädellä oppii paljon uutta, mutta purkkia ei saa auki. Mika huomaa, että kassit painavat. Hän ottaa toisen, ja he nousevat portaat yhdessä.
-> raili_door

=== raili_door ===
# title: Railin ovella
# question: Mitä Mika vastaa?
Railin ovella odottaa innokas mäyräkoira. ”Tässä on Nappi. Se ei ymmärrä, miksi lenkit ovat nyt niin lyhyitä.” Raili epäröi hetken. ”Saanko kysyä vielä yhtä asiaa? Apteekin tilaus pitäisi tehdä puhelimella, mutta en osaa. Ja Nappi kaipaisi kunnon lenkkiä.”
* [Lupaa viedä Napin lenkille iltapäivällä] -> dog
* [Istuu alas auttamaan puhelimen kanssa] -> phone
* [Sanoo, että katsoo ensin omaa viikkoaan] -> think

=== dog ===
# title: Lenkillä
# question: Mitä Mika tekee?
Iltapäivällä Nappi vetää Mikaa puistoon häntä heiluen. Lehdet rapisevat, ja Mika huomaa kävelleensä jo puoli tuntia. Puiston penkillä istuu mies, jolla on samanlainen mäyräkoira. Koirat haistelevat toisiaan kuin vanhat tutut. ”Eikö tuo ole Railin Nappi?” mies kysyy.
* [Jää juttelemaan miehen kanssa]
    ~ met_oskari = true
    -> park_talk
* [Vastaa ystävällisesti ja jatkaa omaa lenkkiään] -> sunday

=== park_talk ===
# title: Koiraihmisiä
Mies esittäytyy Oskariksi. Hän asuu samassa talossa, ylimmässä kerroksessa. ”Olen minäkin miettinyt, miten Raili pärjää. En ole vain kehdannut kysyä.” He sopivat, että vievät koirat joskus yhdessä ulos. Kotimatkalla Nappi kävelee tyytyväisenä Mikan vieressä.
-> sunday

=== phone ===
# title: Keittiön pöydän ääressä
# question: Miten Mika auttaa?
Railin keittiössä tuoksuu kahvi. Puhelimen näyttö on pieni, ja sovellus kysyy koodia, joka tulee tekstiviestinä. Raili siristää silmiään. ”Tytär asensi tämän, mutta en ole uskaltanut koskea siihen.” Mika löytää oikean napin. Tilaukseen tarvitaan vielä muutama vaihe.
* [Neuvoo, ja Raili painaa itse] -> sunday
* [Tekee tilauksen ja kirjoittaa ohjeen paperille] -> sunday

=== think ===
# title: Oma viikko
# question: Mitä Mika tekee?
”Haluan auttaa, mutta katson ensin kalenterista, mitä ehdin”, Mika sanoo. Raili nyökkää: ”Viisaasti sanottu.” Kotona Mika katsoo viikkoaan: tiistaina kurssi, torstaina ryhmä. Väliin mahtuisi jotain. Mika tietää, ettei kannata luvata liikaa. Silti hän haluaa, että Raili saa apua.
* [Vie Railin oveen lapun, jossa on hänen puhelinnumeronsa] -> sunday
* [Kysyy talon ilmoitustaululla, kuka muu voisi auttaa]
    ~ asked_others = true
    -> sunday

=== sunday ===
# title: Sunnuntai
# question: Missä he juovat kahvit?
Sunnuntaina Mikan ovikello soi. Raili seisoo ovella lautanen kädessä. Lautasella on pullia, vähän vinoja, koska ne on leivottu yhdellä kädellä. ”Halusin kiittää. Tule kahville. Tai jos sinulle sopii paremmin, tulen minä sinun luoksesi.”
* [Mika keittää kahvit omassa keittiössään]
    ~ soup = true
    -> mika_home
* [Mika lähtee Railin luo] -> raili_home

=== mika_home ===
# title: Mikan keittiössä
Mika siirtää pöydältä kasan papereita ja keittää kahvit. Raili katselee ikkunalaudalla kasvavia yrttejä. ”Basilikaa ja timjamia! Kasvatatko näitä itse?” Mika kertoo, että laittaa mielellään ruokaa ja kokeilee uusia keittoja. Raili sanoo, ettei ole pitkään aikaan syönyt kunnon keittoa.
-> talk

=== raili_home ===
# title: Railin olohuoneessa
Railin olohuoneen seinällä on kymmeniä valokuvia: hääpari, mökin ranta, lapsia lumilinnan edessä. Nurkassa on ompelukone, ja sen päällä keskeneräinen verho. ”Ompelin ennen kaikki perheen vaatteet”, Raili kertoo. Nappi asettuu Mikan jalkojen päälle kuin olisi aina tuntenut hänet.
-> talk

=== talk ===
# title: Hiljaiset päivät
# question: Mitä Mika kertoo?
# sensitive
Kahvin jälkeen Raili katsoo hetken ikkunasta. ”Mieheni kuoli kaksi vuotta sitten. Nyt on päiviä, etten puhu kenenkään kanssa. Tämä kipsi on oikeastaan tuonut minulle seuraa.” Sitten hän kääntyy Mikan puoleen. ”Entä sinä? Millaisia sinun päiväsi ovat?”
* [Kertoo, että hänelläkin on hiljaisia viikkoja] -> monday
* [Kertoo, mistä hän saa päiviinsä iloa] -> monday

=== monday ===
# title: Seuraava viikko
# question: Mitä Mika ehdottaa?
Maanantaina Mika törmää Railiin postilaatikoilla. Kipsiä on jäljellä vielä kolme viikkoa. Raili sanoo, että viikonlopusta jäi lämmin mieli. Mika huomaa, että hänellekin jäi. Hän miettii, millainen apu sopisi sekä Railille että hänelle itselleen.
* [Ehdottaa yhtä yhteistä päivää viikossa] -> regular
* [Ehdottaa auttajien listaa koko talolle] -> together
* [Lupaa auttaa, kun Raili soittaa ja hän itse ehtii] -> own_pace
* {soup} [Ehdottaa keittopäivää: Mika tekee keiton, Raili leipoo] -> regular
* {met_oskari} [Pyytää Oskarin mukaan koiralenkeille] -> together
* {asked_others} [Katsoo, kuka ilmoitustaululla on vastannut] -> together

=== regular ===
# title: Torstait
# ending
# debrief: Mitä hyvää säännöllinen tapaaminen voi tuoda viikkoon?
# debrief: Mitä sinä voisit opettaa jollekulle? Mitä haluaisit itse oppia?
He sopivat, että torstai on heidän päivänsä. Mika tuo kaupasta raskaat ostokset, ja he syövät yhdessä – joskus Mikan keittoa, joskus Railin pullaa. Eräänä torstaina Raili opettaa Mikaa ompelemaan takkiin irronneen napin. ”Nyt minä autan sinua”, hän sanoo. Kun kipsi lähtee, torstait jatkuvat.
-> END

=== together ===
# title: Koko rappu
# ending
# debrief: Keneltä lähelläsi voisit pyytää apua? Kuka voisi pyytää sitä sinulta?
# debrief: Mitä tapahtuu, kun apu jakautuu monelle?
Rappukäytävän seinälle tulee lista: kuka ehtii käydä kaupassa, kuka ulkoiluttaa koiraa, kuka osaa neuvoa puhelimen kanssa. Ensimmäisenä nimensä kirjoittaa ylimmän kerroksen Oskari, sitten kolmannen kerroksen opiskelija. Viikon päästä listalla on kuusi nimeä. Raili lisää loppuun omansa: ”Neuvon ompelussa.”
-> END

=== own_pace ===
# title: Sopivasti
# ending
# debrief: Miten voi sanoa ”ei nyt” ystävällisesti?
# debrief: Mistä huomaat, että jaksat auttaa?
Mika kirjoittaa numeronsa Railin jääkaapin oveen. ”Soita, kun tarvitset. Jos en ehdi, sanon sen suoraan.” Raili soittaa kahdesti: kerran purkin takia ja kerran vain kertoakseen, että Nappi oppi uuden tempun. Mika huomaa, että auttaminen tuntuu hyvältä, kun se ei vie kaikkia voimia.
-> END
