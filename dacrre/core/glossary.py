"""The words users meet in the app, explained once: the glossary page lists them, and pages show a
term's short meaning where it first appears (`{% term_hint "spoc" %}`), so the two always agree."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    slug: str  # the glossary page's anchor: /glossary/#spoc
    term: str
    short: str  # one line, for the hint where the term first appears
    more: str = ""  # the rest, on the glossary page


TERMS = [
    Term(
        "spoc",
        "SPOC",
        "Single point of contact: the officer who is the victim's one consistent police contact.",
        "Every victim in a case has one. The SPOC visits, updates the victim and is who the victim calls.",
    ),
    Term(
        "idva",
        "IDVA",
        "Independent domestic violence adviser: supports a high-risk victim and keeps their safety plan.",
        "IDVAs work for an IDVA service, not the police. They complete and review risk assessments with the "
        "victim and attend MARAC.",
    ),
    Term(
        "offender-manager",
        "Offender manager",
        "The person who manages the perpetrator: visits, programmes and enforcement.",
        "Often a police officer; a probation officer when the perpetrator is on licence or a community order.",
    ),
    Term(
        "marac",
        "MARAC",
        "Multi-agency risk assessment conference: agencies meet to plan the safety of the highest-risk victims.",
        "A case on a MARAC's agenda is shared with the attending agencies until the meeting is concluded. A "
        "DASH score of 14 or more, professional judgement, or potential escalation leads to a MARAC referral.",
    ),
    Term(
        "repeat-marac",
        "Repeat MARAC",
        "A new incident within 12 months of the last MARAC referral: the case goes back to MARAC.",
    ),
    Term(
        "perpetrator-panel",
        "Perpetrator panel (MATAC)",
        "A multi-agency meeting about the most harmful perpetrators: what each agency will do to change or stop them.",
    ),
    Term(
        "dash",
        "DASH",
        "The domestic abuse, stalking, harassment and honour-based violence risk checklist: 27 yes or no questions.",
        "14 or more yes answers is high risk (visible high risk); 10 to 13 medium; fewer standard. Professional "
        "judgement may raise the level with a reason, never lower it. Every assessment is kept: a new one never "
        "overwrites an earlier one.",
    ),
    Term(
        "visible-high-risk",
        "Visible high risk",
        "A DASH with 14 or more yes answers: high risk by the score alone, and a MARAC referral.",
    ),
    Term(
        "potential-escalation",
        "Potential escalation",
        "Three or more incidents in 12 months: prompts a MARAC referral whatever the DASH score.",
    ),
    Term(
        "risk-level",
        "Risk level",
        "Standard, medium or high, from the latest DASH: it sets how often the case is visited and reviewed.",
    ),
    Term(
        "cadence",
        "Cadence",
        "How often something is due: a visit, a risk review or a safety-plan review, by the case's risk level.",
        "For example, a high-risk perpetrator is visited every 14 days. An operation's lead force may set its "
        "own cadences; each due date becomes a task in My tasks.",
    ),
    Term(
        "repeat",
        "Repeat",
        "Offending again against the same victim: several incidents, one victim.",
    ),
    Term(
        "serial",
        "Serial",
        "Offending against different victims: more than one victim.",
    ),
    Term(
        "rfg-v",
        "RFG-V",
        "Recency, frequency, gravity and victims: the score that ranks the most harmful repeat perpetrators.",
        "Recency: how recent the latest incident is. Frequency: how many incidents. Gravity: how harmful the "
        "offences were, by a weight for each offence. Victims: how many different victims. The ranking page "
        "explains the weights in force.",
    ),
    Term(
        "tasking-list",
        "Tasking list",
        "A month's top perpetrators for an area, saved from the ranking so that months can be compared.",
    ),
    Term(
        "safety-plan",
        "Safety plan",
        "The measures agreed with a victim to keep them safe, each with its status, who does it and when.",
        "Safe contact arrangements, locks and alarms, the silent 999 call, an escape plan, refuge, children's "
        "safety, digital safety, court orders. Every saved version is kept.",
    ),
    Term(
        "safe-contact",
        "Safe contact arrangements",
        "How and when the victim can be contacted safely: a safe number, safe times, a code word.",
        "Never shown to perpetrator-side agencies.",
    ),
    Term(
        "clares-law",
        "Clare's Law (DVDS)",
        "The domestic violence disclosure scheme: a right to ask, or a right to know, about a partner's history.",
    ),
    Term(
        "dvpn",
        "DVPN and DVPO",
        "Domestic violence protection notice (police, up to 48 hours) and order (court, 14 to 28 days).",
    ),
    Term(
        "perpetrator-side",
        "Perpetrator-side agency",
        "An agency working with perpetrators (probation, perpetrator programmes): it never sees victims' "
        "contact details.",
    ),
    Term(
        "break-glass",
        "Break-glass access",
        "Opening a case outside your scope in an emergency, with a reason: logged and reviewed.",
    ),
    Term(
        "chronology",
        "Chronology",
        "Everything that happened on a case, in date order.",
    ),
    Term(
        "escalated",
        "Escalated",
        "A task overdue by more than 3 days: shown to the case's supervisors too.",
    ),
]
BY_SLUG = {term.slug: term for term in TERMS}
