"""URLs of parvis.portal."""

from django.urls import path

app_name = "portal"
urlpatterns: list = []
