"""Browser tests: Playwright drives Debian's Chromium against the live test server."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the tests still use the ORM
# between browser steps, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--lang=en-GB",  # date pickers in the UK order, as the portal's users see them
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Anything the Content-Security-Policy blocked is a defect of the page, whatever the test.
    blocked = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    context.close()
    assert not blocked, "The Content-Security-Policy blocked:\n" + "\n".join(blocked)


def authenticator_for(user):
    """People whose role requires two-factor authentication have an authenticator app in the tests."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import two_factor_required

    if not two_factor_required(user):
        return None
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="Authenticator app", defaults={"confirmed": True})
    # Each log-in of a test may fall in the same 30 seconds: forget the last code used.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device


def current_code(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


@pytest.fixture
def log_in(page):
    """Log in through the real form, as a person would."""
    from tests.factories import PASSWORD

    def do(user):
        device = authenticator_for(user)
        page.context.clear_cookies()
        page.goto("/login/")
        page.get_by_label("E-mail address").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        if device is not None:
            page.wait_for_url("**/two-factor/verify/**")
            page.get_by_label("Code").fill(current_code(device))
            page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/")
        return page

    return do


@pytest.fixture
def screenshot(page):
    """Save a screenshot to test-artifacts/ for a person to look at."""

    def take(name):
        os.makedirs("test-artifacts", exist_ok=True)
        page.screenshot(path=f"test-artifacts/{name}.png", full_page=True)

    return take
