"""A client generated from the published schema (openapi-python-client, pinned in the dev
dependencies) walks a bank's journey against a live server, with its webhooks received by
a local receiver. A contract change that breaks the generated client fails here.

The generator reads the schema from a file and runs without a network: in a network
namespace of its own (`unshare -n`, where the machine allows it; root on CI) and with
every proxy pointed at a closed port; it must finish without a warning."""

import importlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from matchmaker.webhooks import signing
from tests.webhook_receiver import start_receiver

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE = "matchmaker_client"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"
GENERATOR_CONFIG = f"package_name_override: {PACKAGE}\npost_hooks: []\n"
NO_NETWORK = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "",
}


def offline_prefix() -> list[str]:
    """`unshare -n` (no network at all) where this machine allows it, else nothing."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


def generate_client(directory: Path):
    """`manage.py spectacular` → `openapi-python-client generate` → the imported package."""
    schema = directory / "schema.yaml"
    call_command("spectacular", "--file", str(schema), "--validate", "--fail-on-warn")
    config = directory / "generator.yaml"
    config.write_text(GENERATOR_CONFIG)
    started = time.monotonic()
    result = subprocess.run(
        [
            *offline_prefix(),
            str(GENERATOR),
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(directory / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **NO_NETWORK},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert time.monotonic() - started < 60
    sys.path.insert(0, str(directory))
    try:
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]
        return importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(directory))


@pytest.fixture
def bank_receiver(settings):
    settings.WEBHOOK_ALLOW_LOCAL_TARGETS = True
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


def load(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


def ok(response, status: int = 200):
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.parsed


def test_a_generated_client_walks_a_banks_journey(live_server, tmp_path, bank_receiver):
    generate_client(tmp_path)
    client_module = load("client")
    models = load("models")
    anonymous = client_module.Client(base_url=live_server.url, raise_on_unexpected_status=True)

    def register(username: str, organization: dict):
        body = models.RegisterRequest.from_dict(
            {
                "username": username,
                "password": "a-long-passphrase-2026",
                "email": f"{username}@example.test",
                "organization": organization,
            }
        )
        registered = ok(
            load("api.auth.auth_register_create").sync_detailed(client=anonymous, body=body), 201
        )
        return registered.organization.id

    def token_client(username: str, password: str = "a-long-passphrase-2026"):
        body = models.TokenRequestRequest(username=username, password=password)
        token = ok(
            load("api.auth.auth_token_create").sync_detailed(client=anonymous, body=body)
        ).token
        return client_module.AuthenticatedClient(
            base_url=live_server.url, token=token, prefix="Token", timeout=30
        )

    # The bank registers; the programme office verifies it (and, later, a firm).
    bank_org = register(
        "bankops", {"name": "Pudong Credit Bank", "kind": "institution", "institution_type": "bank"}
    )
    get_user_model().objects.create_user("officer", password="office-pass-2026", is_staff=True)
    office = token_client("officer", "office-pass-2026")
    verify = load("api.organizations.organizations_verify_create")
    assert ok(verify.sync_detailed(id=bank_org, client=office)).verified is True
    bank = token_client("bankops")

    # The bank's system registers its receiver and keeps the secret it is shown once.
    created = ok(
        load("api.webhooks.webhooks_endpoints_create").sync_detailed(
            client=bank,
            body=models.EndpointRequest(
                url=bank_receiver.url,
                events=["match.created", "introduction.accepted"],
                description="Credit workflow",
            ),
        ),
        201,
    )
    secret = created.secret

    # It publishes an offering.
    offering = ok(
        load("api.offerings.offerings_create").sync_detailed(
            client=bank,
            body=models.OfferingRequest.from_dict(
                {
                    "name": "Equipment loans for satellite lines",
                    "instrument": "credit",
                    "ticket_min": 5_000_000,
                    "ticket_max": 100_000_000,
                    "capacity": 1_000_000_000,
                    "trl_min": 5,
                    "trl_max": 9,
                    "max_tenor_months": 96,
                }
            ),
        ),
        201,
    )

    # A firm (through its own generated client) submits a project the offering fits.
    firm_org = register("firmops", {"name": "Songjiang Antennas", "kind": "firm"})
    ok(verify.sync_detailed(id=firm_org, client=office))
    firm = token_client("firmops")
    project = ok(
        load("api.projects.projects_create").sync_detailed(
            client=firm,
            body=models.ProjectRequest.from_dict(
                {
                    "title": "Phased-array antenna line",
                    "segment": "satellite_manufacturing",
                    "stage": "production_ramp",
                    "trl": 8,
                    "summary": "Ka-band user terminals.",
                    "needs": [{"instrument": "credit", "amount": 40_000_000}],
                    "collateral": ["equipment"],
                    "revenue_status": "revenue",
                    "months_to_revenue": 0,
                    "months_to_break_even": 24,
                }
            ),
        ),
        201,
    )
    ok(load("api.projects.projects_submit_create").sync_detailed(id=project.id, client=firm))

    # The bank hears of the new match, signed with its secret.
    event = bank_receiver.wait_for("match.created")
    delivery = next(r for r in bank_receiver.received if r.document["id"] == event["id"])
    assert signing.verify(
        secret,
        delivery.body,
        delivery.headers[signing.SIGNATURE_HEADER],
        delivery.headers[signing.TIMESTAMP_HEADER],
    )
    [match] = [m for m in event["data"]["matches"] if m["offering"]["id"] == offering.id]
    assert match["project"]["title"] == "Phased-array antenna line"

    # Shortlist, then ask for an introduction.
    shortlisted = ok(
        load("api.matches.matches_shortlist_create").sync_detailed(id=match["id"], client=bank)
    )
    assert shortlisted.status == "shortlisted"
    ok(
        load("api.matches.matches_request_intro_create").sync_detailed(
            id=match["id"],
            client=bank,
            body=models.IntroductionRequestRequest(message="Shall we talk about the line?"),
        )
    )

    # The firm accepts through its own client; the bank hears of it.
    [request] = ok(load("api.introductions.introductions_list").sync_detailed(client=firm)).results
    ok(
        load("api.introductions.introductions_accept_create").sync_detailed(
            id=request.id, client=firm
        )
    )
    accepted = bank_receiver.wait_for("introduction.accepted")
    assert accepted["data"]["introduction"]["match_id"] == match["id"]
    assert accepted["data"]["introduction"]["contacts"]["firm"]["name"] == "Songjiang Antennas"

    # In talks now; the bank moves the match to term sheet.
    moved = ok(
        load("api.matches.matches_move_create").sync_detailed(
            id=match["id"],
            client=bank,
            body=models.MoveRequest.from_dict({"status": "term_sheet"}),
        )
    )
    assert moved.status == "term_sheet"
