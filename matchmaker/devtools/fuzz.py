"""`make fuzz`: schemathesis against the served OpenAPI schema, once per role.

Starts the app on a fresh SQLite database with demo data, then fuzzes every operation as
a firm member, an institution member and an operator. Bounded by example count (a few
minutes at most). `fuzz_hooks.py` puts lone surrogates into a share of the bodies.
Fails on any server error or any response that breaks the schema.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "12")
CHECKS = os.environ.get("FUZZ_CHECKS", "all")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer at {url}")


def main() -> int:
    var_dir = tempfile.mkdtemp(prefix="matchmaker-fuzz-")
    env = {
        **os.environ,
        "VAR_DIR": var_dir,
        "STATIC_ROOT": str(Path(var_dir) / "static"),
        "DJANGO_SETTINGS_MODULE": "matchmaker.settings",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "API_THROTTLE_ANON": "100000/minute",
        "API_THROTTLE_USER": "100000/minute",
        "API_THROTTLE_REGISTER": "100000/minute",
        "API_THROTTLE_TOKEN": "100000/minute",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        # Bodies with lone surrogates too (schemathesis never generates them itself).
        "SCHEMATHESIS_HOOKS": str(Path(__file__).with_name("fuzz_hooks.py")),
    }
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    tokens = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from rest_framework.authtoken.models import Token\n"
            "from django.contrib.auth import get_user_model\n"
            "for name in ['firm', 'bank', 'operator']:\n"
            "    user = get_user_model().objects.get(username=name)\n"
            "    print(Token.objects.get_or_create(user=user)[0].key)",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-3:]
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    failures = 0
    try:
        schema = f"http://127.0.0.1:{port}/api/v1/schema/"
        wait_until_up(schema)
        for role, token in zip(["firm", "institution", "operator"], tokens, strict=True):
            print(f"=== schemathesis as the {role} ===", flush=True)
            result = subprocess.run(
                [
                    Path(sys.executable).parent / "schemathesis",
                    "--config-file",
                    Path(__file__).with_name("schemathesis.toml"),
                    "run",
                    schema,
                    "--checks",
                    CHECKS,
                    "-n",
                    EXAMPLES,
                    "--seed",
                    "2026",
                    "--phases",
                    "examples,coverage,fuzzing",
                    "--suppress-health-check",
                    "all",
                    "-H",
                    f"Authorization: Token {token}",
                    "--request-timeout",
                    "20",
                    "--generation-allow-x00",
                    "false",
                    "--no-color",
                ],
                cwd=ROOT,
                env=env,
            )
            failures += result.returncode != 0
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
