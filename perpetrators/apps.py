from django.apps import AppConfig


class PerpetratorsConfig(AppConfig):
    name = "perpetrators"

    def ready(self) -> None:
        from people.merging import person_role_register

        from .models import Perpetrator

        person_role_register("perpetrator", Perpetrator)
