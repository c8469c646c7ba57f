from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def demo_mfa_skip_only_in_debug(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.DEMO_SKIP_MFA and not settings.DEBUG:
        return [
            Error(
                "DACRRE_DEMO_SKIP_MFA is set while DEBUG is off.",
                hint="Skipping the second factor is for the local demo only. Unset DACRRE_DEMO_SKIP_MFA.",
                id="dacrre.E001",
            )
        ]
    return []
