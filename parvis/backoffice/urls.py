"""URLs of parvis.backoffice."""

from django.urls import path

app_name = "backoffice"
urlpatterns: list = []
