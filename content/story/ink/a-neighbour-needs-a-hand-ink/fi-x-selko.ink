// Naapuri tarvitsee apua (selkosuomi) – sama tarina kuin stories/a-neighbour-needs-a-hand.yaml.
// Compile: see content/story/ink/README.md.
# title: Naapuri tarvitsee apua

VAR met_oskari = false
VAR asked_others = false
VAR soup = false

-> stairwell

=== stairwell ===
# title: Rappukäytävä
# question: Mitä Mika tekee?
On lauantaiaamu. Mika vie pahvit ja pullot kierrätykseen. Alaovella on naapuri Raili. Railin oikea käsi on kipsissä. Vasemmassa kädessä on kaksi kauppakassia. Raili yrittää avata ovea.
* [Kysyy: ”Voinko kantaa kassit?”] -> bags
* [Avaa oven. Kysyy, mitä Railille kuuluu.] -> chat

=== bags ===
# title: Kassit
Raili antaa kassit Mikalle. Hän sanoo: ”Kiitos. Kaaduin pihalla. Ranne murtui.” Kipsi on kädessä vielä kuukauden. Railin tytär asuu kaukana. Kassit ovat painavat. Niissä on perunoita, maitoa ja koiranruokaa.
-> raili_door

=== chat ===
# title: Mitä kuuluu?
Raili sanoo: ”Kiitos.” Hän kertoo, että kaatui pihalla. Ranne murtui. Kipsi on kädessä vielä kuukauden. Raili nauraa: ”Yhdellä kädellä en saa purkkia auki.” Mika ottaa toisen kassin. He kävelevät portaat yhdessä.
-> raili_door

=== raili_door ===
# title: Railin ovi
# question: Mitä Mika vastaa?
Railin ovella on koira. Koiran nimi on Nappi. Nappi haluaa ulos. Raili kysyy: ”Voitko auttaa vielä? Minun pitää tilata lääkkeet puhelimella. En osaa sitä. Ja Nappi tarvitsee pitkän lenkin.”
* [Lupaa viedä Napin ulos] -> dog
* [Auttaa puhelimen kanssa] -> phone
* [Sanoo: ”Katson ensin, mitä ehdin.”] -> think

=== dog ===
# title: Lenkki
# question: Mitä Mika tekee?
Iltapäivällä Mika vie Napin puistoon. Nappi on iloinen. Mika kävelee puoli tuntia. Puistossa on mies. Miehellä on samanlainen koira. Koirat haistelevat toisiaan. Mies kysyy: ”Onko tuo Railin koira?”
* [Juttelee miehen kanssa]
    ~ met_oskari = true
    -> park_talk
* [Vastaa ja jatkaa kävelyä] -> sunday

=== park_talk ===
# title: Uusi tuttu
Mies sanoo: ”Olen Oskari.” Oskari asuu samassa talossa. Hän sanoo: ”Olen miettinyt, pärjääkö Raili. En ole uskaltanut kysyä.” Mika ja Oskari sopivat, että he käyvät joskus yhdessä lenkillä. Nappi on tyytyväinen.
-> sunday

=== phone ===
# title: Puhelin
# question: Miten Mika auttaa?
Railin keittiössä on kahvia. Puhelin on pieni. Sovellus pyytää koodia. Koodi tulee viestinä. Raili sanoo: ”Tytär laittoi tämän. En ole uskaltanut käyttää sitä.” Mika löytää oikean napin. Vielä on muutama vaihe jäljellä.
* [Neuvoo. Raili tekee itse.] -> sunday
* [Tekee tilauksen. Kirjoittaa ohjeen paperille.] -> sunday

=== think ===
# title: Mika miettii
# question: Mitä Mika tekee?
Mika sanoo: ”Haluan auttaa. Katson ensin, milloin minulla on aikaa.” Raili sanoo: ”Hyvä ajatus.” Kotona Mika katsoo kalenteria. Tiistaina on kurssi. Torstaina on ryhmä. Mika ei halua luvata liikaa. Mutta hän haluaa, että Raili saa apua.
* [Vie Railille lapun. Lapussa on Mikan numero.] -> sunday
* [Kirjoittaa ilmoitustaululle: Kuka voi auttaa Railia?]
    ~ asked_others = true
    -> sunday

=== sunday ===
# title: Sunnuntai
# question: Missä he juovat kahvia?
On sunnuntai. Mikan ovikello soi. Ovella on Raili. Hänellä on lautanen. Lautasella on pullia. Raili sanoo: ”Kiitos avusta. Tule minun luokseni kahville. Tai minä voin tulla sinun luoksesi.”
* [Mikan kotona]
    ~ soup = true
    -> mika_home
* [Railin kotona] -> raili_home

=== mika_home ===
# title: Mikan koti
Mika keittää kahvia. Ikkunalla kasvaa yrttejä. Raili kysyy: ”Kasvatatko näitä itse?” Mika kertoo, että hän tykkää laittaa ruokaa. Hän tekee usein keittoa. Raili sanoo: ”En ole syönyt hyvää keittoa pitkään aikaan.”
-> talk

=== raili_home ===
# title: Railin koti
Railin seinällä on paljon valokuvia. Nurkassa on ompelukone. Raili sanoo: ”Ompelin ennen kaikki perheen vaatteet.” Nappi makaa Mikan jalkojen päällä.
-> talk

=== talk ===
# title: Hiljaiset päivät
# question: Mitä Mika kertoo?
# sensitive
Raili katsoo ikkunasta. Hän sanoo: ”Mieheni kuoli kaksi vuotta sitten. Joskus en puhu kenenkään kanssa koko päivänä. Kipsin takia olen saanut seuraa.” Sitten Raili kysyy: ”Entä sinä? Millaisia sinun päiväsi ovat?”
* [Kertoo, että hänkin on usein yksin] -> monday
* [Kertoo, mikä tekee hänet iloiseksi] -> monday

=== monday ===
# title: Uusi viikko
# question: Mitä Mika ehdottaa?
On maanantai. Mika näkee Railin postilaatikoilla. Kipsi on kädessä vielä kolme viikkoa. Raili sanoo: ”Viikonloppu oli mukava.” Mikasta tuntuu samalta. Mika miettii, miten hän voi auttaa. Avun pitää sopia myös Mikalle.
* [Yksi yhteinen päivä joka viikko] -> regular
* [Lista ihmisistä, jotka voivat auttaa] -> together
* [Raili soittaa, kun tarvitsee apua. Mika auttaa, kun ehtii.] -> own_pace
* {soup} [Mika tekee keittoa. Raili leipoo. He syövät yhdessä.] -> regular
* {met_oskari} [Pyytää Oskarin mukaan lenkille] -> together
* {asked_others} [Katsoo, kuka vastasi ilmoitukseen] -> together

=== regular ===
# title: Torstai
# ending
# debrief: Mitä hyvää on siinä, että tapaa jonkun joka viikko?
# debrief: Mitä voit opettaa toiselle? Mitä haluat oppia?
Torstai on nyt Mikan ja Railin päivä. Mika tuo ruokaostokset. He syövät yhdessä. Joskus Mika tekee keittoa. Joskus Raili leipoo pullaa. Raili opettaa Mikaa ompelemaan napin. Raili sanoo: ”Nyt minä autan sinua.” Kipsi lähtee pois. Torstait jatkuvat silti.
-> END

=== together ===
# title: Koko talo auttaa
# ending
# debrief: Keneltä voit pyytää apua? Kuka voi pyytää apua sinulta?
# debrief: Mitä hyvää on siinä, että moni auttaa vähän?
Rappukäytävässä on nyt lista. Listaan voi kirjoittaa, miten voi auttaa. Oskari kirjoittaa nimensä. Myös yksi opiskelija kirjoittaa nimensä. Viikon päästä listalla on kuusi nimeä. Raili kirjoittaa myös: ”Autan ompelussa.”
-> END

=== own_pace ===
# title: Sopiva apu
# ending
# debrief: Miten voit sanoa ystävällisesti: ”Ei nyt”?
# debrief: Mistä tiedät, että jaksat auttaa?
Mika kirjoittaa numeronsa Railin jääkaappiin. Hän sanoo: ”Soita, kun tarvitset apua. Jos minulla ei ole aikaa, sanon sen.” Raili soittaa kaksi kertaa. Kerran purkki ei aukea. Kerran Raili kertoo, että Nappi oppi uuden tempun. Mika huomaa: auttaminen on mukavaa, kun sitä on sopivasti.
-> END
