// A Swedish version that differs from the others in one choice (sticky where they are
// once-only): tests/test_story_ink.py checks that the content check refuses it.
# title: En liten promenad
VAR umbrella = false
VAR rounds = 0
-> door

=== door ===
# title: Vid dörren
# question: Vad tar Sam med sig?
# picture: door.png
# alt: En dörr öppen mot en våt gata
# write-in: 2
Det regnar lite. Sam står vid dörren.
* [Ett paraply]
    ~ umbrella = true
    Sam tar paraplyet.
    -> park
* [Ingenting] -> park

=== park ===
# title: I parken
~ rounds = rounds + 1
Ankorna simmar i dammen. Sam har gått runt dammen {rounds} {rounds == 1:gång|gånger}.
* [Matar ankorna]
    Sam matar ankorna.
    -> park
+ [Tittar på himlen]
    Molnen är grå.
    -> park
+ {umbrella} [Öppnar paraplyet] -> shelter
* -> home

=== shelter ===
# title: Under paraplyet
# sensitive
# skip: 2
Under paraplyet minns Sam promenader med sin pappa.
+ [Berättar om det] Sam berättar om det för en vän. -> home
+ [Behåller det för sig själv] -> home

=== home ===
# title: Hemma
# ending
# debrief: Vad såg Sam på vägen?
Hemma kokar Sam te.
-> END
