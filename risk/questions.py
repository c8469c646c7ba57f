"""The 27 questions of the police DASH risk identification checklist, in order, worded as they are
asked of the victim. Keys are stable: stored answers refer to them."""

from typing import NamedTuple


class Question(NamedTuple):
    number: int
    key: str
    text: str


QUESTIONS: tuple[Question, ...] = tuple(
    Question(number, key, text)
    for number, (key, text) in enumerate(
        [
            ("injury", "Has the current incident resulted in injury?"),
            ("very_frightened", "Are you very frightened?"),
            ("what_afraid_of", "What are you afraid of? Is it further injury or violence?"),
            (
                "isolated",
                "Do you feel isolated from family or friends, for example does the abuser try to stop you "
                "seeing friends or family, a doctor or others?",
            ),
            ("depressed", "Are you feeling depressed or having suicidal thoughts?"),
            ("separation", "Have you separated or tried to separate from the abuser within the past year?"),
            ("child_contact_conflict", "Is there conflict over child contact?"),
            ("stalking", "Does the abuser constantly text, call, contact, follow, stalk or harass you?"),
            ("pregnant", "Are you pregnant, or have you recently had a baby (within the last 18 months)?"),
            ("other_children", "Are there any other children or dependants in the household (not the abuser's)?"),
            ("hurt_children", "Has the abuser ever hurt the children or dependants?"),
            ("threatened_children", "Has the abuser ever threatened to hurt or kill the children or dependants?"),
            ("more_often", "Is the abuse happening more often?"),
            ("getting_worse", "Is the abuse getting worse?"),
            ("controlling", "Does the abuser try to control everything you do, or are they excessively jealous?"),
            ("weapons", "Has the abuser ever used weapons or objects to hurt you?"),
            (
                "threatened_to_kill",
                "Has the abuser ever threatened to kill you or someone else, and you believed them?",
            ),
            ("strangled", "Has the abuser ever attempted to strangle, choke, suffocate or drown you?"),
            (
                "sexual",
                "Does the abuser do or say things of a sexual nature that make you feel bad, or that "
                "physically hurt you or someone else?",
            ),
            ("third_party_threats", "Is there any other person who has threatened you, or whom you are afraid of?"),
            (
                "hurt_others",
                "Do you know if the abuser has hurt anyone else (children, family, a previous partner or anyone else)?",
            ),
            ("animals", "Has the abuser ever mistreated an animal or the family pet?"),
            (
                "financial",
                "Are there any financial issues, for example are you dependent on the abuser for money, "
                "or have they recently lost their job?",
            ),
            (
                "substances_mental_health",
                "Has the abuser had problems in the past year with drugs, alcohol or "
                "mental health leading to problems in leading a normal life?",
            ),
            ("suicide_threats", "Has the abuser ever threatened or attempted suicide?"),
            (
                "breached_orders",
                "Has the abuser ever broken bail, an injunction or a formal agreement about when "
                "they can see you or the children?",
            ),
            (
                "criminal_history",
                "Do you know if the abuser has ever been in trouble with the police or has a criminal history?",
            ),
        ],
        start=1,
    )
)

QUESTION_KEYS = tuple(question.key for question in QUESTIONS)
assert len(QUESTIONS) == 27  # noqa: S101 - a checklist with a question missing must not load
