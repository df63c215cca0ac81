"""Secrets found in code are replaced before anything leaves the machine for an LLM provider.

Regexes, not entropy guesses: each pattern names a kind of secret with a recognisable shape
(key prefixes, PEM armour, credentials in URLs, JWTs) or a string literal assigned to a
secret-sounding name. A false positive only hides a literal from the model; a false negative
leaks a credential, so the patterns lean towards redacting. Replacements keep every newline, so
line numbers shown to the model still match the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_SENSITIVE_WORD = (
    r"(?:passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
    r"|credentials?|auth[_-]?key|signing[_-]?key|salt)[A-Za-z0-9_.-]{0,40}"
)
"""A name from the word that makes it sensitive to its end (`db_password` from `password`):
starting at the word rather than the name's start keeps the search linear on minified code."""
_INNOCENT_NAME_END = re.compile(
    r"(?i)(?:url|uri|endpoint|path|file|dir|header|name|type|field|len|length|count|size|"
    r"ttl|expiry|expires|prefix|env|var|id|kind|format|regex|pattern)$"
)
"""Names that mention a secret but hold something else: `token_url`, `password_field`."""

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "private-key",
        re.compile(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
            r"(?:.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|.*\Z)",
            re.DOTALL,
        ),
    ),
    ("aws-access-key", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA|ANPA|APKA)[A-Z0-9]{16}\b")),
    ("github-token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})")),
    ("gitlab-token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    ("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("stripe-key", re.compile(r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}")),
    ("google-api-key", re.compile(r"\bAIza[A-Za-z0-9_-]{35}")),
    ("api-key", re.compile(r"\bsk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}")),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("bearer-token", re.compile(r"(?i)(?<=\bbearer )[A-Za-z0-9._~+/-]{16,}=*")),
    ("basic-auth", re.compile(r"(?i)(?<=\bbasic )[A-Za-z0-9+/]{16,}={0,2}")),
)
_URL_PASSWORD = re.compile(
    r"\b([a-z][a-z0-9+.-]{0,30}://[^\s:/@'\"`]{1,200}:)([^\s@/'\"`]{1,200})(@)", re.I
)
"""`scheme://user:password@host`: the password goes, user and host stay (they explain code)."""
_ASSIGNED_LITERAL = re.compile(
    rf"(?i)(?P<name>{_SENSITIVE_WORD})(?P<quote_end>['\"]?)"
    r"(?P<op>\s*(?::\s*[A-Za-z_][\w\[\]|., ]{0,60}?)?\s*(?:=>|:=|===|==|!=|=|:|,)\s*)"
    r"(?P<q>['\"`])(?P<value>[^'\"`\n]{4,2000})(?P=q)"
)
"""`password = "..."`, `"api_key": "..."`, `API_KEY: str = '...'`, `'token' => '...'`."""
_ENV_LINE = re.compile(
    r"(?m)^(?P<lead>[ \t]*(?:export[ \t]+)?(?P<name>[A-Z0-9_]{0,40}"
    r"(?:PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)"
    r"[A-Z0-9_]{0,40})=)(?P<value>[^\s'\"#]{4,2000})$"
)
"""Unquoted `.env` style lines: `DB_PASSWORD=hunter22`."""


@dataclass(frozen=True, slots=True)
class Redacted:
    """Text with its secrets replaced, and how many were."""

    text: str
    count: int


def redact(text: str) -> Redacted:
    """Replace every secret found in `text` with `[REDACTED:<kind>]`, keeping line breaks."""
    redactor = _Redactor()
    for kind, pattern in _PATTERNS:
        text = pattern.sub(redactor.whole(kind), text)
    text = _URL_PASSWORD.sub(redactor.url_password, text)
    text = _ASSIGNED_LITERAL.sub(redactor.literal, text)
    text = _ENV_LINE.sub(redactor.env_value, text)
    return Redacted(text, redactor.count)


class _Redactor:
    """The replacement for each kind of match, counting what it replaced."""

    def __init__(self) -> None:
        self.count = 0

    def whole(self, kind: str) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            self.count += 1
            return f"[REDACTED:{kind}]" + "\n" * match.group(0).count("\n")

        return replace

    def url_password(self, match: re.Match[str]) -> str:
        self.count += 1
        return f"{match.group(1)}[REDACTED:password]{match.group(3)}"

    def literal(self, match: re.Match[str]) -> str:
        if _innocent(match.group("name"), match.group("value")):
            return match.group(0)
        self.count += 1
        quote = match.group("q")
        head = match.group("name") + match.group("quote_end") + match.group("op")
        return f"{head}{quote}[REDACTED:secret]{quote}"

    def env_value(self, match: re.Match[str]) -> str:
        if _innocent(match.group("name"), match.group("value")):
            return match.group(0)
        self.count += 1
        return f"{match.group('lead')}[REDACTED:secret]"


def _innocent(name: str, value: str) -> bool:
    """A name like `token_url`, or a value that is already a marker or a placeholder."""
    return (
        bool(_INNOCENT_NAME_END.search(name))
        or value.startswith("[REDACTED")
        or value.startswith(("${", "{{", "%(", "<"))
    )
