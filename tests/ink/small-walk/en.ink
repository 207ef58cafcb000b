// A small story for tests/test_story_ink.py: every Ink feature the story activity uses.
// Compiled with: node inkjs-compiler.js -o en.json en.ink (see content/story/ink/README.md)
# title: A small walk
VAR umbrella = false
VAR rounds = 0
-> door

=== door ===
# title: At the door
# question: What does Sam take along?
# picture: door.png
# alt: A door open to a wet street
# write-in: 2
It rains a little. Sam stands at the door.
* [An umbrella]
    ~ umbrella = true
    Sam takes the umbrella.
    -> park
* [Nothing] -> park

=== park ===
# title: In the park
~ rounds = rounds + 1
Ducks swim in the pond. Sam has come round the pond {rounds} {rounds == 1:time|times}.
* [Feed the ducks]
    Sam feeds the ducks.
    -> park
* [Look at the sky]
    The clouds are grey.
    -> park
+ {umbrella} [Open the umbrella] -> shelter
* -> home

=== shelter ===
# title: Under the umbrella
# sensitive
# skip: 2
Under the umbrella Sam remembers walks with his father.
+ [Tell about it] Sam tells a friend about it. -> home
+ [Keep it to himself] -> home

=== home ===
# title: Home
# ending
# debrief: What did Sam see on the way?
Back home, Sam makes tea.
-> END
