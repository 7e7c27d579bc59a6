from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "leitstern.web"

    def ready(self) -> None:
        from leitstern.web import fragments

        fragments.connect()
