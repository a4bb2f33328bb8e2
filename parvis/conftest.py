"""Fixtures shared by every app's tests (environment: ``parvis/pytest_env.py``)."""

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("PARVIS_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).parent / "static" / "vendor" / "axe.min.js"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """Each test starts with an empty cache and nothing kept from the previous (rolled back) one."""
    from django.core.cache import cache

    from parvis.core import cache_versions

    cache.clear()
    cache_versions.forget()


@pytest.fixture
def catalog(db: None, django_capture_on_commit_callbacks: Any) -> None:
    """The default catalogue: services, démarches with their fields, routing rules.

    Loaded as if committed (its versions bumped), so that the test reads it as any process
    does after an edit: from the copy each process keeps.
    """
    from parvis.catalog.actions import catalog_load_defaults

    with django_capture_on_commit_callbacks(execute=True):
        catalog_load_defaults()


@pytest.fixture
def make_agent(db: None) -> Callable[..., Any]:
    """make_agent("etat-civil", username="alice") → an agent member of those services."""
    from parvis.accounts.actions import agent_create
    from parvis.catalog.models import Service

    counter = iter(range(1, 10_000))

    def make(*service_slugs: str, username: str = "", **extra: Any) -> Any:
        number = next(counter)
        flags = {key: extra.pop(key) for key in ("is_active", "is_superuser") if key in extra}
        agent = agent_create(
            username=username or f"agent{number}",
            first_name=extra.pop("first_name", "Agent"),
            last_name=extra.pop("last_name", f"Numéro {number}"),
            email=extra.pop("email", f"agent{number}@mairie.test"),
            password=TEST_PASSWORD,
            services=list(Service.objects.filter(slug__in=service_slugs)),
            **extra,
        )
        for key, value in flags.items():
            setattr(agent, key, value)
        if flags:
            agent.save(update_fields=list(flags))
        return agent

    return make


TEST_PASSWORD = "motdepasse-test"  # noqa: S105 - the test agents' password
PHONE_SCREEN = {"width": 375, "height": 800}


def browser_log_in(page: Any, live_server: Any, username: str, next_path: str = "/agents/") -> None:
    """Log ``username`` into the back office in the browser, as a person does: the login
    form, then the code of their authenticator app if they have one."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto(live_server.url + next_path)
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:
        page.wait_for_url("**/connexion/code/**")
        code = totp(device.bin_key, device.step, device.t0, device.digits, 0)
        page.get_by_role("textbox", name="Code").fill(f"{code:06d}")
        page.get_by_role("button", name="Valider").click()


def verified_login(client: Any, user: Any) -> Any:
    """Log the test client in as ``user``, second factor given (as after the code page):
    an app is set up for them if they had none."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Téléphone de test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def admin_client(client: Any, admin_user: Any) -> Any:
    """pytest-django's administrator client, second factor given (the admin asks for it)."""
    return verified_login(client, admin_user)


@pytest.fixture
def make_ticket(catalog: None) -> Callable[..., Any]:
    """make_ticket("pothole-slug", subject=…) → a ticket created through intake_submit.

    Not counted against the limit of requests per address, as a seeding is not (tests of a
    list make a dozen for one address); test_request_form_abuse.py tests that limit. Nor
    added to an earlier one as a follow-up when it repeats it (``append_repeats``): each
    call makes a ticket; test_same_matter_follow_up.py tests that path.
    """
    from parvis.catalog.models import RequestType
    from parvis.intake.pipeline import intake_submit
    from parvis.tickets.models import Channel
    from parvis.tickets.structures import IncomingRequest, RequesterData

    def make(
        request_type_slug: str | None = None,
        *,
        subject: str = "Une demande",
        description: str = "Bonjour, voici ma demande.",
        field_values: dict[str, object] | None = None,
        requester: RequesterData | None = None,
        channel: Channel = Channel.WEB,
        **extra: Any,
    ) -> Any:
        request_type = (
            RequestType.objects.get(slug=request_type_slug) if request_type_slug else None
        )
        values = field_values if field_values is not None else _valid_values(request_type)
        incoming = IncomingRequest(
            channel=channel,
            requester=requester or RequesterData("Camille Martin", "camille@example.fr"),
            subject=subject,
            description=description,
            request_type=request_type,
            field_values=values,
            **extra,
        )
        submitted = intake_submit(
            incoming=incoming, actor=None, rate_limited=False, append_repeats=False
        )
        ticket = submitted.ticket
        run_worker()  # as the worker would have done by now: the acknowledgement is sent
        return ticket

    return make


@pytest.fixture
def workflows(catalog: None, django_capture_on_commit_callbacks: Any) -> None:
    """The default catalogue with its shipped workflows (``parvis.workflows``), loaded as if
    committed, as the catalogue is."""
    from parvis.workflows.actions import workflows_load_defaults

    with django_capture_on_commit_callbacks(execute=True):
        workflows_load_defaults()


@pytest.fixture
def make_member(make_agent: Callable[..., Any]) -> Callable[..., Any]:
    """make_member("vie-associative", "elected") → an agent with that role in that service."""
    from parvis.accounts.models import Membership

    def make(service_slug: str, role: str, **extra: Any) -> Any:
        agent = make_agent(service_slug, **extra)
        Membership.objects.filter(user=agent).update(role=role)
        return agent

    return make


@pytest.fixture
def confirmed_address(db: None) -> Callable[[str], Any]:
    """confirmed_address("lea@example.fr") → a requester whose owner confirmed that address."""
    from parvis.accounts.actions import requester_email_confirm, requester_find_or_create

    def make(email: str, name: str = "Léa Petit") -> Any:
        requester, _created = requester_find_or_create(name=name, email=email)
        requester_email_confirm(requester_id=requester.pk, email=email)
        requester.refresh_from_db()
        return requester

    return make


def run_worker() -> None:
    """What the worker does after a commit: deliver the events, send the mail written."""
    from parvis.notifications.sending import mail_send_pending
    from parvis.tickets.outbox import dispatch_pending

    dispatch_pending()
    mail_send_pending()


def _valid_values(request_type: Any) -> dict[str, object]:
    """Plausible values for every required non-file field of a démarche's published form."""
    from parvis.catalog.selectors import ticket_form_fields

    if request_type is None:
        return {}
    samples = {
        "text": "Martin",
        "textarea": "Précisions.",
        "date": "2026-03-14",
        "number": 2,
        "email": "camille@example.fr",
        "phone": "06 12 34 56 78",
        "location": "12 rue Victor Hugo",
    }
    # A booking's hours are text fields that must read as times (parvis.bookings.slots).
    by_key = {"start_time": "14h00", "end_time": "18h00"}
    values: dict[str, object] = {}
    for field in ticket_form_fields(None, request_type.pk):
        if not field.required or field.kind == "file":
            continue
        values[field.key] = by_key.get(field.key) or (
            field.choice_pairs()[0][0] if field.kind == "choice" else samples[field.kind]
        )
    return values


# --- Knowledge base -------------------------------------------------------------------------
@pytest.fixture
def knowledge(catalog: None, django_capture_on_commit_callbacks: Any) -> None:
    """The default catalogue and the default knowledge base, as after `parvis load-catalog`
    (committed: the search index's version moves, as in any process after a load)."""
    from parvis.knowledge.defaults import knowledge_load_defaults

    with django_capture_on_commit_callbacks(execute=True):
        knowledge_load_defaults()


@pytest.fixture
def kb_civil_status_agent(catalog: None, make_agent: Callable[..., Any]) -> Any:
    return make_agent("etat-civil", username="alice", first_name="Alice", last_name="Durand")


@pytest.fixture
def kb_roads_agent(catalog: None, make_agent: Callable[..., Any]) -> Any:
    return make_agent("services-techniques", username="victor", first_name="Victor")


@pytest.fixture
def write_article(
    kb_civil_status_agent: Any, django_capture_on_commit_callbacks: Any
) -> Callable[..., Any]:
    """write_article(title=…, state=…) → an article of the état civil, committed."""
    from django.utils.text import slugify

    from parvis.catalog.models import Service
    from parvis.knowledge.actions import ArticleContent, article_create
    from parvis.knowledge.models import Article, Category

    def write(
        title: str = "Horaires du cimetière",
        *,
        body: str = "## Horaires\n\nDe 8 h à 18 h, tous les jours.",
        state: str = Article.State.PUBLISHED,
        slug: str = "",
        **extra: Any,
    ) -> Any:
        category, _created = Category.objects.get_or_create(
            slug="etat-civil", defaults={"name": "État civil et famille"}
        )
        content = ArticleContent(
            title=title,
            summary=extra.pop("summary", "Quand le cimetière est ouvert."),
            body=body,
            category=category,
            service=Service.objects.get(slug="etat-civil"),
            **extra,
        )
        with django_capture_on_commit_callbacks(execute=True):
            return article_create(
                actor=kb_civil_status_agent,
                slug=slug or slugify(title),
                content=content,
                state=state,
            )

    return write


# --- Browser tests --------------------------------------------------------------------------


class _OneRequestAtATimeServer(WSGIServer):
    """The live server of the browser tests, answering one request after the other.

    On SQLite the test database lives in memory, and pytest-django hands the live server the
    test's own connection. Django's threaded server then runs two requests of one page (an
    HTMX refresh and a navigation, say) on that one connection at once, and twice in a row
    CI stopped with both threads blocked inside SQLite. Served one at a time (Django answers
    ``Connection: close`` when its server is not threaded), the connection is never shared by
    two requests, on either database.
    """

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


LiveServerThread.server_class = _OneRequestAtATimeServer  # type: ignore[assignment]  # not threaded, on purpose


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Drive Debian's chromium (Playwright's own browser download is not available here)."""
    if not chromium_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium introuvable ({CHROMIUM}) : .ci/run doit l'installer")
        pytest.skip(f"chromium introuvable ({CHROMIUM}) : apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def browser_administrator(*service_slugs: str) -> Any:
    """A staff agent of these services with a confirmed authenticator, for ``browser_log_in``."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from parvis.accounts.actions import agent_create
    from parvis.catalog.models import Service

    user = agent_create(
        username="chef",
        first_name="Nadia",
        last_name="Chef",
        email="chef@mairie.test",
        password=TEST_PASSWORD,
        services=list(Service.objects.filter(slug__in=service_slugs)),
        is_staff=True,
    )
    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    return user


def fits_the_screen(page: Any) -> None:
    """The page is as wide as a 1,280 px screen, no wider (no horizontal scroll)."""
    assert page.viewport_size["width"] == 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


@pytest.fixture
def live_catalog(transactional_db: None) -> None:
    """The default catalogue, committed so that the live server thread sees it."""
    from parvis.catalog.actions import catalog_load_defaults

    catalog_load_defaults()


@pytest.fixture
def axe_check() -> Callable[[Any], None]:
    """axe_check(page): fail on any serious or critical accessibility violation."""

    def check(page: Any) -> None:
        # Evaluated through the DevTools protocol: the page's Content-Security-Policy (no
        # inline script) stays in force for everything else.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"axe on {page.url}:\n" + "\n".join(serious)

    return check
