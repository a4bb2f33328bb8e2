"""Application configuration for parvis.accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "parvis.accounts"
    label = "accounts"
    verbose_name = "Comptes et usagers"
