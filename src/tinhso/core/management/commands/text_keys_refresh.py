"""Recompute every stored sort key and folded search column (ADR 8)."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from tinhso.core.signals import derived_text_refresh


class Command(BaseCommand):
    help = "Recompute the Vietnamese sort keys and folded search columns of every model."

    def handle(self, *args, **options):
        for model in apps.get_models():
            if not model.__module__.startswith("tinhso."):
                continue
            with transaction.atomic():
                changed = derived_text_refresh(model)
            if changed:
                self.stdout.write(f"{model._meta.label}: {changed}")
