"""The stalking and harassment screening questions (S-DASH), in order, and what makes a screening
show high risk. Keys are stable: stored answers refer to them."""

from .questions import Question

STALKING_QUESTIONS: tuple[Question, ...] = tuple(
    Question(number, key, text)
    for number, (key, text) in enumerate(
        [
            ("very_frightened", "Is the victim very frightened?"),
            ("previous_history", "Is there previous domestic abuse or stalking and harassment history?"),
            ("property_damage", "Has the suspect vandalised or destroyed property?"),
            ("unannounced_visits", "Has the suspect turned up unannounced more than three times a week?"),
            ("following", "Has the suspect followed the victim or loitered near the victim?"),
            ("threats", "Has the suspect threatened physical or sexual violence?"),
            (
                "third_parties",
                "Has the suspect been harassing any third party since the harassment began (family, children, "
                "friends, neighbours, colleagues)?",
            ),
            ("violence_to_others", "Has the suspect acted violently to anyone else during the stalking incident?"),
            ("engaged_others", "Has the suspect engaged others to help (wittingly or unwittingly)?"),
            (
                "substances_or_mental_health",
                "Has the suspect had problems in the past year with drugs, alcohol or mental health?",
            ),
            ("abusive_to_family", "Is the suspect abusive to family members?"),
        ],
        start=1,
    )
)
STALKING_KEYS = tuple(question.key for question in STALKING_QUESTIONS)
# The screening shows high risk with this many "yes" answers, or with a "yes" to any of the
# indicators on their own (fear, threats of violence, violence to others).
HIGH_RISK_YES_COUNT = 5
HIGH_RISK_ON_THEIR_OWN = frozenset({"very_frightened", "threats", "violence_to_others"})


def shows_high_risk(answers: dict[str, str]) -> bool:
    yes = {key for key, answer in answers.items() if answer == "yes"}
    return len(yes) >= HIGH_RISK_YES_COUNT or bool(yes & HIGH_RISK_ON_THEIR_OWN)
