from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content as data files (demo/content/) and its loader: ``manage.py load_demo``."""

    name = "demo"
    label = "demo"
