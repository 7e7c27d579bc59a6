from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "leitstern.trust"
