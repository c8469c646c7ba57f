"""The safety-plan measures, grouped as they are discussed with the victim. Keys are stable."""

from typing import NamedTuple


class Measure(NamedTuple):
    key: str
    group: str
    label: str


MEASURES: tuple[Measure, ...] = (
    Measure("target_locks", "Target hardening", "Door and window locks"),
    Measure("target_panic_alarm", "Target hardening", "Panic alarm"),
    Measure("target_video_doorbell", "Target hardening", "Video doorbell"),
    Measure("target_dash_cam", "Target hardening", "Dash cam"),
    Measure("target_letterbox", "Target hardening", "Fire-proof letterbox"),
    Measure("silent_999", "Calling for help", "Silent 999 call and the '55' route explained"),
    Measure("escape_plan", "Leaving safely", "Escape plan and go-bag"),
    Measure("refuge_or_move", "Leaving safely", "Refuge or a move"),
    Measure("children_school", "Children", "Children's safety: school informed"),
    Measure("digital_safety", "Digital safety", "Phone, accounts and location sharing checked"),
    Measure("court_orders", "Orders", "Court orders to seek"),
)
MEASURE_KEYS = tuple(measure.key for measure in MEASURES)
