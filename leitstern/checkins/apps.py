from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "leitstern.checkins"
