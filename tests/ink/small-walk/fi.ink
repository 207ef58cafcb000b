// Pieni tarina testeille (tests/test_story_ink.py).
# title: Pieni kävely
VAR umbrella = false
VAR rounds = 0
-> door

=== door ===
# title: Ovella
# question: Mitä Sami ottaa mukaan?
# picture: door.png
# alt: Ovi auki märälle kadulle
# write-in: 2
Sataa vähän. Sami seisoo ovella.
* [Sateenvarjon]
    ~ umbrella = true
    Sami ottaa sateenvarjon.
    -> park
* [Ei mitään] -> park

=== park ===
# title: Puistossa
~ rounds = rounds + 1
Ankat uivat lammessa. Sami on kiertänyt lammen {rounds} {rounds == 1:kerran|kertaa}.
* [Ruokkii ankkoja]
    Sami ruokkii ankkoja.
    -> park
* [Katsoo taivasta]
    Pilvet ovat harmaita.
    -> park
+ {umbrella} [Avaa sateenvarjon] -> shelter
* -> home

=== shelter ===
# title: Sateenvarjon alla
# sensitive
# skip: 2
Sateenvarjon alla Sami muistaa kävelyt isänsä kanssa.
+ [Kertoo siitä] Sami kertoo siitä ystävälle. -> home
+ [Pitää sen omana tietonaan] -> home

=== home ===
# title: Kotona
# ending
# debrief: Mitä Sami näki matkalla?
Kotona Sami keittää teetä.
-> END
