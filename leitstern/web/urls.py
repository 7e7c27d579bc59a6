"""Pages outside an organisation."""

from django.urls import path

from leitstern.web import handbook

urlpatterns = [
    path("handbook/", handbook.handbook, name="handbook"),
]
