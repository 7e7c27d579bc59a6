from django.apps import AppConfig


class OkrsConfig(AppConfig):
    name = "leitstern.okrs"
