"""Secrets in code are replaced before sending, and nothing else is."""

from __future__ import annotations

import dataclasses

import pytest

from apiscope.analysis.analysers.llm.redaction import redact
from tests.analysis.analysers.llm.conftest import (
    analyser_for,
    baseline,
    handler_unit,
    make_api,
    rule_finding,
)
from tests.analysis.analysers.llm.fake_llm import FakeLlm

AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
GITHUB_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0" * 2
OPENAI_KEY = "sk-proj-" + "Zx9" * 12
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFU"
DB_PASSWORD = "s3cr3t-Pa55"
PEM_BODY = "MIIEowIBAAKCAQEA7bq98zfbyJHqc1s"

SECRETS = {
    "password literal": (f'password = "{DB_PASSWORD}"', DB_PASSWORD),
    "annotated constant": (f'API_KEY: str = "{OPENAI_KEY[:12]}1234"', OPENAI_KEY[:12] + "1234"),
    "json field": ('{"client_secret": "0a1b2c3d4e5f"}', "0a1b2c3d4e5f"),
    "php array": ("'auth_token' => 'abcd-efgh-ijkl'", "abcd-efgh-ijkl"),
    "comparison": ('if token == "letmein-42":', "letmein-42"),
    "env line": ("DB_PASSWORD=hunter22x", "hunter22x"),
    "aws access key": (f"key = {AWS_KEY!r}", AWS_KEY),
    "aws secret key": (f"aws_secret_access_key = '{AWS_SECRET}'", AWS_SECRET),
    "github token": (f"gh = Github('{GITHUB_TOKEN}')", GITHUB_TOKEN),
    "openai key": (f"client = OpenAI(api_key='{OPENAI_KEY}')", OPENAI_KEY),
    "jwt": (f"headers = {{'X-Session': '{JWT}'}}", JWT),
    "bearer header": (
        'h = {"Authorization": "Bearer abcdefghijklmnop0123"}',
        "abcdefghijklmnop0123",
    ),
    "url password": (f"DSN = 'postgresql://app:{DB_PASSWORD}@db:5432/shop'", DB_PASSWORD),
    "slack token": ("hook = 'xoxb-123456789012-abcdefABCDEF'", "xoxb-123456789012-abcdefABCDEF"),
    "stripe key": (
        "stripe.api_key = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'",
        "4eC39HqLyjWDarjtT1zdp7dc",
    ),
}

INNOCENT = [
    'password = request.form["password"]',
    'token_url = "https://auth.example.com/token"',
    "token_count = 5",
    'PASSWORD_FIELD = "password"',
    'secret = os.environ["SECRET"]',
    "api_key = settings.api_key",
    "for order in orders:",
]


@pytest.mark.parametrize(("line", "secret"), SECRETS.values(), ids=SECRETS.keys())
def test_secret_is_redacted(line: str, secret: str) -> None:
    """Each kind of secret is replaced by a marker and counted."""
    redacted = redact(line)
    assert secret not in redacted.text
    assert "[REDACTED:" in redacted.text
    assert redacted.count >= 1


@pytest.mark.parametrize("line", INNOCENT)
def test_code_that_only_mentions_secrets_is_kept(line: str) -> None:
    """Reading a secret from config or a form, or a `token_url`, is not a secret."""
    assert redact(line).text == line
    assert redact(line).count == 0


def test_private_key_block_keeps_the_line_count() -> None:
    """A multi-line PEM key becomes one marker line followed by blank lines: numbering holds."""
    pem = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\nxyz\n-----END RSA PRIVATE KEY-----"
    source = f"a = 1\nKEY = '''{pem}'''\nb = 2\n"
    redacted = redact(source)
    assert PEM_BODY not in redacted.text
    assert redacted.text.splitlines()[5] == "b = 2"
    assert len(redacted.text.splitlines()) == len(source.splitlines())


def test_url_password_keeps_user_and_host() -> None:
    """Only the password of a connection string goes; the user and host explain the code."""
    text = redact("redis://cache:pa55word@redis.internal:6379/0").text
    assert text == "redis://cache:[REDACTED:password]@redis.internal:6379/0"


def test_minified_line_is_redacted_quickly() -> None:
    """A long line of dotted identifiers (minified code) does not make the search explode."""
    line = "a.b-c." * 50_000 + 'password = "x1y2z3w4"'
    assert "x1y2z3w4" not in redact(line).text


async def test_no_secret_reaches_the_provider(fake: FakeLlm) -> None:
    """Secrets in the code and in rule findings never appear in any request body."""
    source = "\n".join(line for line, _ in SECRETS.values())
    source += f"\nPEM = '''-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n-----END PRIVATE KEY-----'''\n"
    source += "return db.query(Order).all()\n"
    api = make_api(units=(handler_unit(source),))
    leaky = dataclasses.replace(rule_finding(), explanation=f"uses token {GITHUB_TOKEN}")
    analyser, _ = analyser_for(fake)
    result = await analyser.analyse([api], baseline=baseline(leaky))
    (request,) = fake.received
    sent = request.raw.decode()
    for _, secret in SECRETS.values():
        assert secret not in sent
    assert PEM_BODY not in sent
    last = 10 + len(source.splitlines()) - 1
    assert f"{last}| return db.query(Order).all()" in request.prompt  # numbering survived
    assert result.usage is not None and result.usage["redacted_secrets"] >= len(SECRETS) + 1
