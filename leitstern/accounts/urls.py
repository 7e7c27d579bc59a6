"""The person's own settings, below /account/."""

from django.urls import path

from leitstern.accounts import views

urlpatterns = [
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<str:prefix>/revoke/", views.revoke_token, name="revoke_token"),
]
