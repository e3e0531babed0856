import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_deploy_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "meent.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_ci_runs_on_postgresql_and_redis():
    """In CI the suite must run against the real services, not the embedded defaults."""
    if os.environ.get("CI", "").lower() != "true":
        pytest.skip("only meaningful in CI")
    require_service("PostgreSQL", connection.vendor == "postgresql", "DATABASE_URL")
    require_service("Redis", bool(settings.REDIS_URL), "REDIS_URL")


def test_the_demo_settings_show_no_debug_pages_unless_a_developer_asks():
    """`make demo` runs on config.settings.dev: an outside probe got Django's debug 404 (every URL
    pattern) and 500 (tracebacks, settings) from it."""

    def debug_with(extra):
        env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
        env.update({"DJANGO_SETTINGS_MODULE": "config.settings.dev", **extra})
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from django.conf import "
                "settings; print(settings.DEBUG)",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert debug_with({}) == "False"
    assert debug_with({"DEBUG": "true"}) == "True"
