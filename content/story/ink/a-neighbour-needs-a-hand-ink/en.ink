// A neighbour who needs a hand – Piiri's own story in Ink (the same text as stories/a-neighbour-needs-a-hand.yaml).
// Compile: see content/story/ink/README.md.
# title: A neighbour who needs a hand

VAR met_oskari = false
VAR asked_others = false
VAR soup = false

-> stairwell

=== stairwell ===
# title: In the stairwell
# question: What does Mika do?
On Saturday morning Mika takes the cardboard and bottles out for recycling. At the front door he sees his neighbour from the second floor, Raili. Her right arm is in a cast, and two full shopping bags hang from her left hand. Raili is trying to open the door with her elbow.
* [Offers to carry the bags] -> bags
* [Holds the door and asks how Raili is] -> chat

=== bags ===
# title: Heavy bags
Raili hands over the bags with relief. “Thank you. I slipped in the yard last week and broke my wrist.” On the stairs she tells him the cast stays on for another month. Her daughter lives in Oulu and calls every Sunday. The bags are heavy: potatoes, milk and dog food.
-> raili_door

=== chat ===
# title: How are things?
“Oh, thank you,” Raili says, slipping inside. “I slipped in the yard and broke my wrist. The cast stays on for another month.” She laughs that you learn a lot with one hand, but you still can't open a jar. Mika notices how heavy the bags are. He takes one, and they climb the stairs together.
-> raili_door

=== raili_door ===
# title: At Raili's door
# question: What does Mika say?
An eager dachshund is waiting at Raili's door. “This is Nappi. He doesn't understand why the walks are so short now.” Raili hesitates. “Can I ask one more thing? I should order from the pharmacy on my phone, but I don't know how. And Nappi would love a proper walk.”
* [Promises to walk Nappi in the afternoon] -> dog
* [Sits down to help with the phone] -> phone
* [Says he wants to look at his own week first] -> think

=== dog ===
# title: Out with Nappi
# question: What does Mika do?
In the afternoon Nappi pulls Mika towards the park, tail wagging. The leaves rustle, and Mika notices he has already walked for half an hour. A man with a similar dachshund is sitting on a park bench. The dogs sniff each other like old friends. “Isn't that Raili's Nappi?” the man asks.
* [Stops to chat with the man]
    ~ met_oskari = true
    -> park_talk
* [Answers kindly and carries on walking] -> sunday

=== park_talk ===
# title: Dog people
The man introduces himself as Oskari. He lives in the same building, on the top floor. “I've been wondering how Raili is managing too. I just didn't like to ask.” They agree to walk the dogs together sometimes. On the way home Nappi trots happily beside Mika.
-> sunday

=== phone ===
# title: At the kitchen table
# question: How does Mika help?
Raili's kitchen smells of coffee. The phone screen is small, and the app asks for a code that comes by text message. Raili squints. “My daughter installed this, but I haven't dared to touch it.” Mika finds the right button. The order needs a few more steps.
* [Explains while Raili taps the screen herself] -> sunday
* [Places the order and writes the steps on paper] -> sunday

=== think ===
# title: His own week
# question: What does Mika do?
“I want to help, but let me check my calendar first,” Mika says. Raili nods: “Wisely said.” At home Mika looks at his week: a course on Tuesday, the group on Thursday. There is room for something in between. Mika knows it's better not to promise too much. Still, he wants Raili to get help.
* [Leaves a note with his phone number on Raili's door] -> sunday
* [Asks on the building's notice board who else could help]
    ~ asked_others = true
    -> sunday

=== sunday ===
# title: Sunday
# question: Where do they have coffee?
On Sunday Mika's doorbell rings. Raili is standing outside holding a plate. On it are buns, a little lopsided because they were baked with one hand. “I wanted to say thank you. Come over for coffee. Or if it suits you better, I'll come to yours.”
* [Mika makes coffee in his own kitchen]
    ~ soup = true
    -> mika_home
* [Mika goes over to Raili's] -> raili_home

=== mika_home ===
# title: In Mika's kitchen
Mika moves a pile of papers off the table and makes coffee. Raili looks at the herbs growing on the windowsill. “Basil and thyme! Do you grow these yourself?” Mika tells her he enjoys cooking and trying out new soups. Raili says she hasn't had a proper soup in a long time.
-> talk

=== raili_home ===
# title: In Raili's living room
Dozens of photos hang on the wall of Raili's living room: a wedding couple, a lakeside cabin, children in front of a snow castle. In the corner there's a sewing machine with a half-finished curtain on it. “I used to sew all the family's clothes,” Raili says. Nappi settles on Mika's feet as if he had always known him.
-> talk

=== talk ===
# title: The quiet days
# question: What does Mika tell her?
# sensitive
After coffee Raili looks out of the window for a while. “My husband died two years ago. Now there are days when I don't talk to anyone. This cast has actually brought me company.” Then she turns to Mika. “And you? What are your days like?”
* [Says that he has quiet weeks too] -> monday
* [Tells her what brings joy to his days] -> monday

=== monday ===
# title: The next week
# question: What does Mika suggest?
On Monday Mika bumps into Raili by the mailboxes. There are three more weeks of the cast to go. Raili says the weekend left her with a warm feeling. Mika notices it did the same for him. He wonders what kind of help would suit both Raili and himself.
* [Suggests one shared day a week] -> regular
* [Suggests a list of helpers for the whole building] -> together
* [Offers to help when Raili calls and he has time] -> own_pace
* {soup} [Suggests a soup day: Mika cooks, Raili bakes] -> regular
* {met_oskari} [Asks Oskari to join the dog walks] -> together
* {asked_others} [Checks who has answered on the notice board] -> together

=== regular ===
# title: Thursdays
# ending
# debrief: What good can a regular meeting bring to a week?
# debrief: What could you teach someone? What would you like to learn?
They agree that Thursday is their day. Mika carries the heavy shopping home, and they eat together – sometimes Mika's soup, sometimes Raili's buns. One Thursday Raili teaches Mika to sew a loose button back on his jacket. “Now I'm the one helping you,” she says. When the cast comes off, the Thursdays carry on.
-> END

=== together ===
# title: The whole stairwell
# ending
# debrief: Who near you could you ask for help? Who could ask you?
# debrief: What happens when help is shared among many people?
A list goes up on the stairwell wall: who has time to go shopping, who can walk the dog, who can help with phones. Oskari from the top floor writes his name first, then the student from the third floor. A week later there are six names. Raili adds her own at the bottom: “I can help with sewing.”
-> END

=== own_pace ===
# title: Just enough
# ending
# debrief: How can you say “not now” in a kind way?
# debrief: How do you notice that you have the energy to help?
Mika writes his number on Raili's fridge door. “Call when you need something. If I don't have time, I'll tell you straight.” Raili calls twice: once about a jar, and once just to say that Nappi has learned a new trick. Mika notices that helping feels good when it doesn't take all his energy.
-> END
