from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data of the province: ``manage.py seed_demo``. No models."""

    name = "tinhso.demo"
    label = "demo"
    verbose_name = "Demo data"
