// Grannen behöver hjälp – Piiris egen berättelse i Ink (samma text som stories/a-neighbour-needs-a-hand.yaml).
// Compile: see content/story/ink/README.md.
# title: Grannen behöver hjälp

VAR met_oskari = false
VAR asked_others = false
VAR soup = false

-> stairwell

=== stairwell ===
# title: I trapphuset
# question: Vad gör Mika?
På lördagsmorgonen bär Mika ut kartonger och flaskor till återvinningen. Vid ytterdörren ser han grannen från andra våningen, Raili. Hennes högra arm är i gips, och i den vänstra handen hänger två fulla matkassar. Raili försöker öppna dörren med armbågen.
* [Erbjuder sig att bära kassarna] -> bags
* [Håller upp dörren och frågar hur Raili mår] -> chat

=== bags ===
# title: Tunga kassar
Raili lämnar över kassarna med lättnad. ”Tack. Jag halkade på gården förra veckan och bröt handleden.” I trappan berättar hon att gipset sitter kvar en månad till. Dottern bor i Uleåborg och ringer varje söndag. Kassarna är tunga: potatis, mjölk och hundmat.
-> raili_door

=== chat ===
# title: Hur är läget?
”Åh tack”, säger Raili och smiter in. ”Jag halkade på gården och bröt handleden. Gipset sitter kvar en månad till.” Hon skrattar och säger att man lär sig mycket nytt med en hand, men burkar får man inte upp. Mika märker att kassarna är tunga. Han tar den ena, och de går uppför trappan tillsammans.
-> raili_door

=== raili_door ===
# title: Vid Railis dörr
# question: Vad svarar Mika?
Vid Railis dörr väntar en ivrig tax. ”Det här är Nappi. Han förstår inte varför promenaderna är så korta nu.” Raili tvekar en stund. ”Får jag fråga en sak till? Jag borde beställa från apoteket med telefonen, men jag kan inte. Och Nappi skulle behöva en ordentlig promenad.”
* [Lovar att gå ut med Nappi på eftermiddagen] -> dog
* [Sätter sig ner och hjälper till med telefonen] -> phone
* [Säger att han först vill se över sin egen vecka] -> think

=== dog ===
# title: På promenad
# question: Vad gör Mika?
På eftermiddagen drar Nappi Mika mot parken med viftande svans. Löven prasslar, och Mika märker att han redan har gått en halvtimme. På en parkbänk sitter en man med en likadan tax. Hundarna nosar på varandra som gamla bekanta. ”Är inte det där Railis Nappi?” frågar mannen.
* [Stannar och pratar med mannen]
    ~ met_oskari = true
    -> park_talk
* [Svarar vänligt och fortsätter sin promenad] -> sunday

=== park_talk ===
# title: Hundmänniskor
Mannen presenterar sig som Oskari. Han bor i samma hus, på översta våningen. ”Jag har också undrat hur Raili klarar sig. Jag har bara inte vågat fråga.” De kommer överens om att gå ut med hundarna tillsammans ibland. På vägen hem trippar Nappi nöjd bredvid Mika.
-> sunday

=== phone ===
# title: Vid köksbordet
# question: Hur hjälper Mika till?
I Railis kök doftar det kaffe. Telefonens skärm är liten, och appen frågar efter en kod som kommer som sms. Raili kisar. ”Dottern installerade den, men jag har inte vågat röra den.” Mika hittar rätt knapp. Beställningen behöver några steg till.
* [Förklarar, och Raili trycker själv] -> sunday
* [Gör beställningen och skriver ner stegen på papper] -> sunday

=== think ===
# title: Den egna veckan
# question: Vad gör Mika?
”Jag vill hjälpa till, men jag tittar först i kalendern vad jag hinner”, säger Mika. Raili nickar: ”Klokt sagt.” Hemma tittar Mika på sin vecka: kurs på tisdag, gruppen på torsdag. Det finns plats för något emellan. Mika vet att det inte lönar sig att lova för mycket. Ändå vill han att Raili ska få hjälp.
* [Lämnar en lapp med sitt telefonnummer på Railis dörr] -> sunday
* [Frågar på husets anslagstavla vem mer som kunde hjälpa till]
    ~ asked_others = true
    -> sunday

=== sunday ===
# title: Söndagen
# question: Var dricker de kaffe?
På söndagen ringer det på Mikas dörr. Raili står utanför med ett fat i handen. På fatet ligger bullar, lite sneda eftersom de är bakade med en hand. ”Jag ville tacka. Kom på kaffe. Eller om det passar dig bättre, så kommer jag till dig.”
* [Mika kokar kaffe i sitt eget kök]
    ~ soup = true
    -> mika_home
* [Mika går hem till Raili] -> raili_home

=== mika_home ===
# title: I Mikas kök
Mika flyttar en hög papper från bordet och kokar kaffe. Raili tittar på örterna som växer på fönsterbrädan. ”Basilika och timjan! Odlar du dem själv?” Mika berättar att han gärna lagar mat och provar nya soppor. Raili säger att hon inte har ätit en riktig soppa på länge.
-> talk

=== raili_home ===
# title: I Railis vardagsrum
På väggen i Railis vardagsrum hänger tiotals fotografier: ett brudpar, en stugstrand, barn framför en snöborg. I hörnet står en symaskin med en halvfärdig gardin. ”Förr sydde jag alla kläder åt familjen”, berättar Raili. Nappi lägger sig på Mikas fötter som om han alltid hade känt honom.
-> talk

=== talk ===
# title: De tysta dagarna
# question: Vad berättar Mika?
# sensitive
Efter kaffet tittar Raili ut genom fönstret en stund. ”Min man dog för två år sedan. Nu finns det dagar då jag inte pratar med någon. Det här gipset har faktiskt gett mig sällskap.” Sedan vänder hon sig till Mika. ”Och du då? Hur ser dina dagar ut?”
* [Berättar att han också har tysta veckor] -> monday
* [Berättar vad som ger glädje i hans dagar] -> monday

=== monday ===
# title: Nästa vecka
# question: Vad föreslår Mika?
På måndagen stöter Mika på Raili vid brevlådorna. Det är tre veckor kvar med gipset. Raili säger att helgen har lämnat ett varmt minne. Mika märker att den har gjort det för honom också. Han funderar på vilken sorts hjälp som skulle passa både Raili och honom själv.
* [Föreslår en gemensam dag i veckan] -> regular
* [Föreslår en lista med hjälpare för hela huset] -> together
* [Lovar att hjälpa när Raili ringer och han själv hinner] -> own_pace
* {soup} [Föreslår en soppdag: Mika lagar soppa, Raili bakar] -> regular
* {met_oskari} [Ber Oskari följa med på hundpromenaderna] -> together
* {asked_others} [Tittar vem som har svarat på anslagstavlan] -> together

=== regular ===
# title: Torsdagarna
# ending
# debrief: Vad gott kan en regelbunden träff ge veckan?
# debrief: Vad kunde du lära någon? Vad skulle du själv vilja lära dig?
De bestämmer att torsdag är deras dag. Mika bär hem de tunga varorna från butiken, och de äter tillsammans – ibland Mikas soppa, ibland Railis bullar. En torsdag lär Raili Mika att sy fast en knapp som har lossnat från jackan. ”Nu är det jag som hjälper dig”, säger hon. När gipset tas bort fortsätter torsdagarna.
-> END

=== together ===
# title: Hela trappan
# ending
# debrief: Vem nära dig kunde du be om hjälp? Vem kunde be dig?
# debrief: Vad händer när hjälpen delas mellan många?
På väggen i trapphuset kommer det upp en lista: vem hinner handla, vem kan gå ut med hunden, vem kan hjälpa till med telefonen. Först skriver Oskari från översta våningen sitt namn, sedan studenten på tredje våningen. Efter en vecka står det sex namn på listan. Raili lägger till sitt eget sist: ”Jag ger råd om sömnad.”
-> END

=== own_pace ===
# title: Lagom
# ending
# debrief: Hur kan man säga ”inte nu” på ett vänligt sätt?
# debrief: Hur märker du att du orkar hjälpa?
Mika skriver sitt nummer på Railis kylskåpsdörr. ”Ring när du behöver. Om jag inte hinner säger jag det rakt ut.” Raili ringer två gånger: en gång för en burk och en gång bara för att berätta att Nappi har lärt sig ett nytt trick. Mika märker att det känns bra att hjälpa när det inte tar alla krafter.
-> END
