"""The deployment files (deploy/: the Procfile, the systemd units, the container build, compose,
the Helm chart, the backup scripts) against what they name: every command is a real one whose
options parse, every environment variable is one the settings read, every health path is in the
URLconf, every file parses, every value a Helm template reads is in values.yaml. A rename in
the code that a deployment file still uses fails here, not in production.

Helm templates are not rendered (no helm binary here); their references are checked instead.
`systemd-analyze verify` and `docker compose config` run where those tools are (optional: skipped
otherwise, also in CI).
"""

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, get_commands, load_command_class
from django.test import override_settings
from django.urls import Resolver404, resolve

from tests import processes
from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
CONTAINER = DEPLOY / "container"
SYSTEMD = DEPLOY / "systemd"
CHART = DEPLOY / "helm" / "meent"
ENV_EXAMPLE = DEPLOY / "meent.env.example"

# Names in the files that are not Meent's settings: Python's and pip's own, in the image.
PLATFORM_NAMES = {
    "PATH",
    "PYTHONUNBUFFERED",
    "PYTHONDONTWRITEBYTECODE",
    "PIP_DISABLE_PIP_VERSION_CHECK",
    "PIP_NO_CACHE_DIR",
}
# In meent.env.example for compose's PostgreSQL container (and DATABASE_URL), not for Meent.
COMPOSE_NAMES = {"POSTGRES_PASSWORD"}
SHUTDOWN_DEFAULT_S = 30


# --- what the code offers --------------------------------------------------------------------


def setting_names():
    """The environment variables Meent reads: the settings (through config/settings/env.py's
    reader), the server (config/serve.py) and Django's DJANGO_SETTINGS_MODULE."""
    names = {"DJANGO_SETTINGS_MODULE"}
    for path in (ROOT / "config" / "settings").glob("*.py"):
        names |= set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", path.read_text()))
    serve = (ROOT / "config" / "serve.py").read_text()
    names |= set(re.findall(r"os\.environ\.get\(\s*\"([A-Z][A-Z0-9_]*)\"", serve))
    return names


SETTINGS = setting_names()


def test_the_settings_names_are_found():
    """The parser above finds the names (a change in how settings are read must show here)."""
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "STATIC_ROOT"} <= SETTINGS
    assert {"MEENT_SHUTDOWN_SECONDS", "PORT", "LOG_FORMAT", "TASK_BACKEND"} <= SETTINGS


def unknown(names, also=()):
    return sorted(set(names) - SETTINGS - PLATFORM_NAMES - set(also))


def env_file(path):
    """NAME=value lines, as systemd's EnvironmentFile and compose's env_file read them."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def shutdown_seconds():
    return int(env_file(ENV_EXAMPLE).get("MEENT_SHUTDOWN_SECONDS", SHUTDOWN_DEFAULT_S))


# --- commands --------------------------------------------------------------------------------

PRODUCTION_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}
# Commands that other work adds; until it lands, a test says so (skipped) instead of failing.
PENDING_COMMANDS = {"run_worker": "the task worker (issue 21) is being built"}


class FakeServer:
    """config.serve's Server, recording its configuration instead of serving."""

    started = []

    def __init__(self, config):
        self.config = config

    def run(self):
        FakeServer.started.append(self.config)


def check_serve(arguments, monkeypatch):
    """``python -m config.serve ARGUMENTS`` parses with config.serve's own parser."""
    import django

    from config import serve

    monkeypatch.setattr(serve, "Server", FakeServer)
    monkeypatch.setattr(django, "setup", lambda: None)
    FakeServer.started.clear()
    try:
        serve.main(arguments)
    except SystemExit as error:
        pytest.fail(f"config.serve refuses {arguments}: exit {error.code}")
    assert len(FakeServer.started) == 1
    return FakeServer.started[0]


def check_manage(arguments):
    """``manage.py NAME ARGUMENTS``: NAME is a management command and its options parse."""
    name, options = arguments[0], arguments[1:]
    commands = get_commands()
    if name not in commands:
        assert name in PENDING_COMMANDS, f"manage.py {name} is no management command"
        return name
    command = load_command_class(commands[name], name)
    # As production configures it: the worker's parser checks that its backend is the database's.
    with override_settings(TASKS=PRODUCTION_TASKS):
        parser = command.create_parser("manage.py", name)
        try:
            parser.parse_args(options)
        except (CommandError, SystemExit) as error:
            pytest.fail(f"manage.py {' '.join(arguments)}: {error}")
    return None


def check_command(words, monkeypatch):
    """A command line of a deployment file: ``[…/]python -m config.serve …`` or
    ``[…/]python manage.py …``. Returns a pending command's name, if it names one."""
    assert Path(words[0]).name == "python", f"not a Python command: {words}"
    if words[1:3] == ["-m", "config.serve"]:
        check_serve(words[3:], monkeypatch)
        return None
    assert words[1] == "manage.py", f"neither config.serve nor manage.py: {words}"
    return check_manage(words[2:])


def test_the_commands_checker_refuses_what_is_wrong(monkeypatch):
    """The checker above fails on a wrong option and an unknown command (it can fail)."""
    with pytest.raises(pytest.fail.Exception):
        check_command(["python", "-m", "config.serve", "--prot", "8000"], monkeypatch)
    with pytest.raises(AssertionError):
        check_command(["python", "manage.py", "migrat"], monkeypatch)
    with pytest.raises(pytest.fail.Exception):
        check_command(["python", "manage.py", "migrate", "--no-such-option"], monkeypatch)


def test_the_worker_command_exists():
    if "run_worker" not in get_commands():
        pytest.skip(f"manage.py run_worker does not exist yet: {PENDING_COMMANDS['run_worker']}")
    assert "run_worker" in get_commands()


# --- the Procfile ----------------------------------------------------------------------------


def procfile():
    processes_ = {}
    for line in (DEPLOY / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            processes_[name.strip()] = command.strip()
    return processes_


def test_procfile_names_real_commands(monkeypatch):
    entries = procfile()
    assert set(entries) == {"web", "worker", "release"}
    web = entries["web"]
    assert "$PORT" in web, "each app process takes its port from PORT"
    assert "PORT" in SETTINGS
    for line in entries.values():
        for part in line.split("&&"):
            check_command(shlex.split(part.replace("$PORT", "8001")), monkeypatch)
    served = check_serve(shlex.split(web.replace("$PORT", "8001"))[3:], monkeypatch)
    assert served.port == 8001
    release = entries["release"]
    assert "migrate" in release and "collectstatic" in release


# --- systemd ---------------------------------------------------------------------------------


def unit(path):
    """A unit file: {section: {key: [values]}} (a key may repeat, as ExecStart does)."""
    sections, current = {}, None
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def seconds(value):
    match = re.fullmatch(r"(\d+)\s*(s|min)?", value)
    assert match, f"a duration in seconds or minutes: {value}"
    return int(match[1]) * (60 if match[2] == "min" else 1)


SERVICES = ["meent-web@.service", "meent-worker@.service", "meent-release.service"]


@pytest.mark.parametrize("name", SERVICES)
def test_systemd_service_runs_real_commands_as_a_user_without_privileges(name, monkeypatch):
    service = unit(SYSTEMD / name)["Service"]
    assert service["User"] == ["meent"]
    assert service["EnvironmentFile"] == ["/etc/meent/meent.env"]
    assert service["NoNewPrivileges"] == ["yes"]
    assert service["ProtectSystem"] == ["strict"]
    assert service["PrivateTmp"] == ["yes"]
    assert "/srv/meent/media" in " ".join(service["ReadWritePaths"]).split()
    workdir = service["WorkingDirectory"][0]
    for line in service["ExecStart"]:
        words = shlex.split(line.replace("%i", "8001"))
        assert words[0] == f"{workdir}/.venv/bin/python", words[0]
        check_command(words, monkeypatch)


@pytest.mark.parametrize("name", ["meent-web@.service", "meent-worker@.service"])
def test_systemd_stops_processes_gracefully(name):
    service = unit(SYSTEMD / name)["Service"]
    assert service["Restart"] == ["on-failure"]
    assert service["KillSignal"] == ["SIGTERM"]
    assert seconds(service["TimeoutStopSec"][0]) > shutdown_seconds()


def test_systemd_web_instance_is_its_port(monkeypatch):
    service = unit(SYSTEMD / "meent-web@.service")["Service"]
    words = shlex.split(service["ExecStart"][0].replace("%i", "8007"))
    assert check_serve(words[3:], monkeypatch).port == 8007


def test_systemd_target_wants_the_units_that_exist():
    wants = unit(SYSTEMD / "meent.target")["Unit"]["Wants"][0].split()
    assert any(name.startswith("meent-web@") for name in wants)
    assert sum(name.startswith("meent-web@") for name in wants) >= 2
    assert any(name.startswith("meent-worker@") for name in wants)
    for name in wants:
        template = re.sub(r"@[^.]+\.", "@.", name)
        assert (SYSTEMD / template).exists(), f"{name}: no {template}"
    # The app processes' ports are nginx's upstream.
    site = (DEPLOY / "nginx" / "meent.conf").read_text()
    for name in wants:
        if name.startswith("meent-web@"):
            port = name.split("@")[1].split(".")[0]
            assert f"server 127.0.0.1:{port} " in site, f"{name} is not in nginx's upstream"


def test_systemd_backup_runs_the_backup_script():
    service = unit(SYSTEMD / "meent-backup.service")["Service"]
    script, folder = shlex.split(service["ExecStart"][0])
    workdir = service["WorkingDirectory"][0]
    assert script.startswith(workdir + "/")
    assert (ROOT / script.removeprefix(workdir + "/")).is_file()
    assert folder in service["ReadWritePaths"][0].split()
    assert unit(SYSTEMD / "meent-backup.timer")["Timer"]["OnCalendar"]


def test_systemd_units_verify(tmp_path):
    """systemd's own check of the units, with the code where this checkout is (it checks that the
    programs exist). Optional: skipped where systemd-analyze is missing."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (optional)")
    for path in SYSTEMD.iterdir():
        (tmp_path / path.name).write_text(path.read_text().replace("/opt/meent", str(ROOT)))
    names = [
        "meent-web@8001.service",
        "meent-worker@1.service",
        "meent-release.service",
        "meent-backup.service",
        "meent-backup.timer",
        "meent.target",
    ]
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(f"./{name}" for name in names)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # It exits 0 on settings it ignores (a misspelt value): any message is a failure here.
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and not output, output


# --- the example settings --------------------------------------------------------------------


def test_example_settings_are_settings():
    values = env_file(ENV_EXAMPLE)
    assert not unknown(values, also=COMPOSE_NAMES), unknown(values, also=COMPOSE_NAMES)
    assert values["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "MEDIA_ROOT"):
        assert name in values, name
    # nginx's site file serves these folders.
    site = (DEPLOY / "nginx" / "meent.conf").read_text()
    assert f"alias {values['STATIC_ROOT']}/;" in site
    assert values["MEDIA_ROOT"] == "/srv/meent/media" and "root /srv/meent;" in site


# --- the container build ---------------------------------------------------------------------


def instructions(path):
    """A Containerfile's instructions: (INSTRUCTION, arguments), continuation lines joined."""
    lines, current = [], ""
    for line in path.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip("\\").strip() + " "
        if not line.endswith("\\"):
            keyword, _, rest = current.strip().partition(" ")
            lines.append((keyword.upper(), rest.strip()))
            current = ""
    return lines


def stages(path):
    """{stage name: [instructions]}."""
    result, name = {}, None
    for keyword, rest in instructions(path):
        if keyword == "FROM":
            name = rest.split(" AS ")[-1].strip() if " AS " in rest else rest
            result[name] = []
        if name is not None:
            result[name].append((keyword, rest))
    return result


def entrypoint_commands():
    """entrypoint.sh's commands: {name: the command line it runs}."""
    text = (CONTAINER / "entrypoint.sh").read_text()
    return dict(re.findall(r"^\s+(\w+)\) exec (.+?) ;;$", text, re.MULTILINE))


def test_entrypoint_commands_are_real(monkeypatch):
    commands = entrypoint_commands()
    assert {"web", "worker", "release", "health", "manage"} <= set(commands)
    for name in ("web", "worker", "release"):
        line = commands[name].replace('"$@"', "").replace('"${PORT:-8000}"', "8000")
        check_command(shlex.split(line), monkeypatch)
    served = check_serve(
        shlex.split(commands["web"].replace('"$@"', "").replace('"${PORT:-8000}"', "8000"))[3:],
        monkeypatch,
    )
    assert (served.host, served.port) == ("0.0.0.0", 8000)  # noqa: S104 (inside a container)
    health = shlex.split(commands["health"])
    assert health[0] == "python" and (ROOT / health[1]).is_file()
    for script in ("entrypoint.sh", "proxy.sh", "livez.py"):
        assert (CONTAINER / script).stat().st_mode & stat.S_IXUSR, f"{script} is not executable"


def test_containerfile_builds_what_the_deployment_needs():
    path = CONTAINER / "Containerfile"
    text = path.read_text()
    all_stages = stages(path)
    assert {"frontend", "python", "app-base", "proxy", "app"} <= set(all_stages)
    assert list(all_stages)[-1] == "app", "the app is the default (last) target"
    assert re.search(r"ARG PYTHON_IMAGE=python:3\.11-slim", text)
    # Dependencies as locked; the bundles as `make install` builds them.
    assert "requirements.lock" in text
    assert "npm ci" in text and "npm run build" in text
    makefile = (ROOT / "Makefile").read_text()
    assert "npm ci" in makefile and "npm run build" in makefile
    assert "collectstatic --noinput" in text
    # Users without privileges in both images.
    for stage in ("proxy", "app"):
        users = [rest for keyword, rest in all_stages[stage] if keyword == "USER"]
        assert users and users[-1] not in ("root", "0"), stage
    app = dict(all_stages["app"])
    assert "entrypoint.sh" in app["ENTRYPOINT"] and "health" in app["HEALTHCHECK"]
    # Every file it copies from the repository exists.
    for keyword, rest in instructions(path):
        if keyword == "COPY" and "--from=" not in rest:
            for source in shlex.split(rest)[:-1]:
                if source != ".":
                    assert (ROOT / source).exists(), f"COPY {source}: no such file"


def test_containerfile_environment_is_settings():
    names = []
    for keyword, rest in instructions(CONTAINER / "Containerfile"):
        if keyword == "ENV":
            names += re.findall(r"(?:^|\s)([A-Z][A-Z0-9_]*)=", rest)
    assert "DJANGO_SETTINGS_MODULE" in names
    assert not unknown(names), unknown(names)


def test_dockerignore_keeps_what_the_build_copies():
    ignored = [
        line.strip().strip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for needed in ("package.json", "package-lock.json", "requirements.lock", "deploy", "manage.py"):
        assert needed not in ignored
    for local in (".venv", "node_modules", "build", "media", ".env"):
        assert local in ignored, f"{local} would be sent to the build"


def test_proxy_renders_the_site_file_for_any_upstream(tmp_path):
    """The proxy image's start script gives nginx the shipped site file with its upstream and
    port, and nginx accepts it with the image's main configuration."""
    env = {
        **os.environ,
        "MEENT_SITE_FILE": str(DEPLOY / "nginx" / "meent.conf"),
        "MEENT_UPSTREAMS": "web-1:8000 web-2:8000 web-3:8000",
        "PROXY_PORT": "8080",
    }
    site = subprocess.run(
        ["sh", str(CONTAINER / "proxy.sh"), "render"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    servers = re.findall(r"^\s+server (\S+) max_fails", site, re.MULTILINE)
    assert servers == ["web-1:8000", "web-2:8000", "web-3:8000"]
    assert "listen 8080;" in site and "listen 80;" not in site
    assert "127.0.0.1:800" not in site
    # The rest is the shipped file, line for line.
    shipped = (DEPLOY / "nginx" / "meent.conf").read_text().splitlines()
    kept = [line for line in shipped if "127.0.0.1:800" not in line and "listen 80;" not in line]
    rendered = [line for line in site.splitlines() if " max_fails" not in line]
    assert [line for line in rendered if "listen 8080;" not in line] == kept

    require_service("nginx", shutil.which("nginx") is not None, "apt-get install nginx")
    local = re.sub(r"web-(\d):8000", r"127.0.0.1:900\1", site)  # nginx -t resolves names
    (tmp_path / "meent-site.conf").write_text(local)
    main = (CONTAINER / "nginx.conf").read_text().replace("/tmp/", f"{tmp_path}/")  # noqa: S108
    (tmp_path / "nginx.conf").write_text(main)
    check = subprocess.run(
        ["nginx", "-e", "stderr", "-t", "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert check.returncode == 0, check.stderr


def test_proxy_refuses_a_site_file_that_changed_shape(tmp_path):
    changed = tmp_path / "meent.conf"
    changed.write_text(
        (DEPLOY / "nginx" / "meent.conf").read_text().replace("127.0.0.1:8002", "10.0.0.2:8002")
    )
    result = subprocess.run(
        ["sh", str(CONTAINER / "proxy.sh"), "render"],
        env={**os.environ, "MEENT_SITE_FILE": str(changed)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0 and "is no longer in" in result.stderr


def proxy_variables():
    return set(re.findall(r"\$\{(\w+):-", (CONTAINER / "proxy.sh").read_text()))


def test_the_container_health_check_answers_on_production_settings(tmp_path):
    """livez.py (the image's HEALTHCHECK; the Helm probes send the same headers) gets 200 from an
    app process on production settings, which refuse unknown hosts and redirect plain HTTP."""
    port = processes.free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "deploy-test-" + "x" * 50,
        "ALLOWED_HOSTS": ".meent.example.org,other.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "ELASTICSEARCH_URL": "",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PORT": str(port),
        "PYTHONPATH": str(ROOT),
    }
    log = tmp_path / "server.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            processes.server_command(port),
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        check = [sys.executable, str(CONTAINER / "livez.py")]
        answered = None
        for _ in range(150):
            if server.poll() is not None:
                pytest.fail(f"the server exited: {processes.tail(log)}")
            answered = subprocess.run(check, env=env, capture_output=True, text=True, timeout=30)
            if answered.returncode == 0:
                break
            if "Connection refused" not in answered.stderr:
                break
            time.sleep(0.2)
        assert answered.returncode == 0, answered.stderr + processes.tail(log)
        # Without the headers the same process refuses the request: the check is not vacuous.
        plain = subprocess.run(
            [
                sys.executable,
                "-c",
                "import urllib.request,sys\n"
                f"try: urllib.request.urlopen('http://127.0.0.1:{port}/livez', timeout=5)\n"
                "except Exception as e: sys.exit(str(e))",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert plain.returncode != 0
    finally:
        processes.stop(server)


# --- compose ---------------------------------------------------------------------------------


def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


MEENT_SERVICES = ("web", "worker", "migrate")


def test_compose_has_the_topology():
    services = compose()["services"]
    assert {"proxy", "web", "worker", "migrate", "postgres", "redis", "elasticsearch"} <= set(
        services
    )
    assert services["web"]["deploy"]["replicas"] >= 2
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert "search" in services["elasticsearch"]["profiles"]
    assert {"pgdata", "media"} <= set(compose()["volumes"])
    for name in ("proxy", "web", "postgres", "redis", "elasticsearch"):
        assert "test" in services[name]["healthcheck"], f"{name} has no health check"
    for name in MEENT_SERVICES:
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    assert seconds(services["web"]["stop_grace_period"]) > shutdown_seconds()


def test_compose_runs_real_images_and_commands():
    services = compose()["services"]
    stage_names = set(stages(CONTAINER / "Containerfile"))
    for name in (*MEENT_SERVICES, "proxy"):
        build = services[name]["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == (
            CONTAINER / "Containerfile"
        ).resolve()
        assert build["target"] in stage_names
    commands = entrypoint_commands()
    for name in MEENT_SERVICES:
        assert services[name]["command"][0] in commands, name
    assert services["web"]["healthcheck"]["test"][1:] == [
        "/app/deploy/container/entrypoint.sh",
        "health",
    ]
    env_files = services["web"]["env_file"]
    assert env_files == "meent.env" and ENV_EXAMPLE.name == "meent.env.example"


def test_compose_environment_is_settings():
    services = compose()["services"]
    for name in MEENT_SERVICES:
        names = services[name].get("environment", {})
        assert names and not unknown(names), (name, unknown(names))
    assert set(services["proxy"]["environment"]) <= proxy_variables()
    # The proxy serves the uploads from the volume the app writes.
    assert "media:/srv/meent/media:ro" in services["proxy"]["volumes"]
    assert "media:/srv/meent/media" in services["web"]["volumes"]


def test_compose_config(tmp_path):
    """`docker compose config`: compose's own check. Optional: skipped where it is missing."""
    docker = shutil.which("docker")
    if (
        docker is None
        or subprocess.run(
            [docker, "compose", "version"], capture_output=True, timeout=30
        ).returncode
    ):
        pytest.skip("docker compose is not installed (optional)")
    env_path = tmp_path / "meent.env"
    env_path.write_text(ENV_EXAMPLE.read_text())
    result = subprocess.run(
        [docker, "compose", "-f", str(DEPLOY / "compose.yaml"), "--env-file", str(env_path)]
        + ["config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


# --- the Helm chart --------------------------------------------------------------------------


def values():
    return yaml.safe_load((CHART / "values.yaml").read_text())


def templates():
    return {path.name: path.read_text() for path in (CHART / "templates").iterdir()}


def test_chart_parses():
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert chart["apiVersion"] == "v2" and chart["name"] == "meent"
    assert chart["version"] and chart["appVersion"]
    assert isinstance(values(), dict)
    assert {"_helpers.tpl", "web-deployment.yaml", "worker-deployment.yaml"} <= set(templates())
    assert {"migrate-job.yaml", "service.yaml", "ingress.yaml", "pvc.yaml"} <= set(templates())


def test_chart_templates_read_only_values_that_exist():
    tree = values()
    missing = []
    for name, text in templates().items():
        for reference in re.findall(r"\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)", text):
            node = tree
            for key in reference.strip(".").split("."):
                if not isinstance(node, dict) or key not in node:
                    missing.append(f"{name}: .Values{reference}")
                    break
                node = node[key]
    assert not missing, missing


def test_chart_templates_are_balanced_and_include_what_is_defined():
    texts = templates()
    defined = set(re.findall(r"\{\{-?\s*define \"([\w.]+)\"", texts["_helpers.tpl"]))
    for name, text in texts.items():
        for used in re.findall(r"include \"([\w.]+)\"", text):
            assert used in defined, f"{name}: include {used!r} is not defined"
        actions = re.findall(r"\{\{-?\s*(\w+)", text)
        opened = sum(action in ("if", "with", "range", "define") for action in actions)
        closed = actions.count("end")
        assert opened == closed, f"{name}: {opened} blocks opened, {closed} closed"
        assert text.count("{{") == text.count("}}"), name


def test_chart_environment_is_settings():
    tree = values()
    assert not unknown(tree["config"]), unknown(tree["config"])
    assert not unknown(tree["secret"]), unknown(tree["secret"])
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= set(tree["secret"])
    web = templates()["web-deployment.yaml"]
    app_env = re.findall(r"- name: ([A-Z][A-Z0-9_]*)\n\s+value:", web)
    assert "PORT" in app_env
    proxy_env = {"MEENT_UPSTREAMS", "PROXY_PORT"}
    assert not unknown(set(app_env) - proxy_env)
    assert proxy_env <= proxy_variables()


def test_chart_runs_the_entrypoints_commands_and_probes_the_health_paths():
    texts = templates()
    commands = entrypoint_commands()
    for name, command in (
        ("web-deployment.yaml", "web"),
        ("worker-deployment.yaml", "worker"),
        ("migrate-job.yaml", "release"),
    ):
        assert f'args: ["{command}"]' in texts[name]
        assert command in commands
    web = texts["web-deployment.yaml"]
    assert re.search(r"readinessProbe:\s+httpGet:\s+path: /healthz", web)
    assert re.search(r"livenessProbe:\s+httpGet:\s+path: /livez", web)
    helpers = texts["_helpers.tpl"]
    livez = (CONTAINER / "livez.py").read_text()
    for header in ("Host", "X-Forwarded-Proto"):
        assert f"name: {header}" in helpers and f'"{header}"' in livez
    job = texts["migrate-job.yaml"]
    assert "pre-upgrade" in job and "pre-install" in job
    ingress = values()["ingress"]["annotations"]
    assert any("proxy-read-timeout" in key for key in ingress), "WebSockets stay open"
    tree = values()
    grace = tree["web"]["terminationGracePeriodSeconds"] - tree["web"]["preStopSeconds"]
    assert grace > int(tree["config"]["MEENT_SHUTDOWN_SECONDS"])
    assert tree["worker"]["terminationGracePeriodSeconds"] > grace


# --- health and the URLconf ------------------------------------------------------------------


@pytest.mark.parametrize(("path", "view"), [("/livez", "livez"), ("/healthz", "healthz")])
def test_health_paths_are_in_the_urlconf(path, view):
    try:
        match = resolve(path)
    except Resolver404:
        pytest.fail(f"{path} is not in the URLconf")
    assert match.func.__module__ == "config.health" and match.func.__name__ == view


# --- the README ------------------------------------------------------------------------------


def test_every_setting_the_deployment_files_set_is_in_the_readme():
    """An operator who meets a name in a deployment file finds what it means in the README."""
    readme = (ROOT / "README.md").read_text()
    tree = values()
    names = set(env_file(ENV_EXAMPLE)) - COMPOSE_NAMES
    names |= set(tree["config"]) | set(tree["secret"])
    for name in MEENT_SERVICES:
        names |= set(compose()["services"][name].get("environment", {}))
    undocumented = sorted(name for name in names if not re.search(rf"`{name}[`=]", readme))
    assert not undocumented, f"say what these mean in the README: {undocumented}"
