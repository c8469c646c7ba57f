from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "victims"

    def ready(self) -> None:
        from people.merging import person_role_register

        from .models import Child, ChildConfidential, Victim, VictimConfidential

        person_role_register("victim", Victim, VictimConfidential)
        person_role_register("child", Child, ChildConfidential)
