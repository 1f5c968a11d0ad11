"""The GitHub connector: a repository's documentation at a ref, and with `--issues` its
issues and discussions with their comments, read over GitHub's REST API (and GraphQL for
discussions), for `kb_ingest --github owner/repo[@ref]` and the scheduled `kb_sync`.

What it lists (`collect`):
- the tree at the ref (`git/trees/{ref}?recursive=1`; no ref: the default branch), files of
  the kinds knowledge.sources reads (its EXTENSIONS) under `path`, hidden ones skipped as in
  a folder. A tree GitHub truncates (over 100,000 entries) is walked again directory by
  directory with the contents API; a listing that still misses something is incomplete, so
  nothing is pruned.
- each file read from its blob (`git/blobs/{sha}`), unless its blob SHA is the one stored
  (`fetch = {"sha": ...}`): then `Unchanged`, without a request.
- with `issues`: every issue (open and closed, no pull requests), and every discussion,
  each one document with its comments; read again only when its `updated_at` moved (a
  discussion: or its number of comments).

A document's source is its web address (the blob at the ref as given, or at the default
branch; the issue's or discussion's page), so `Document.url` carries it to citations, and
it is in `metadata["url"]` too. The web address comes from the repository's own `html_url`,
which GitHub Enterprise answers with its host.

The token: from the file named by `--github-token-file` (its path is what a
KnowledgeSource keeps), else the setting GITHUB_TOKEN (the environment), else none (public
repositories only, 60 requests an hour). It is sent as `Authorization: Bearer` to the API's
own origin only (never to a page link of another host), and is never written to output,
logs, errors or stored settings; every message this module builds is scrubbed of it too.

Errors name the repository or the file: a repository or ref not found (404), a refused
token (401), no access (403), and a spent rate limit with the time it resets, after which
nothing more is asked in the run (the rest fail saying so). A listing that fails prunes
nothing; a file that fails is named in the run's errors and the run goes on.
"""

from __future__ import annotations

import base64
import binascii
import functools
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError

from knowledge.connectors import Collection
from knowledge.sources import EXTENSIONS, MAX_BYTES, SourceDocument, SourceError, Unchanged, read_document

GITHUB_API = "https://api.github.com"
# GitHub's token formats (classic, fine-grained, OAuth, app, refresh): refused as a file path.
_TOKEN_LIKE = re.compile(r"^(gh[pousr]_|github_pat_)[A-Za-z0-9_]+$")
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_CONTENTS_LIMIT = 1000  # the contents API lists at most this many entries of a directory
_PAGE = 100


@dataclass(frozen=True)
class Repository:
    owner: str
    name: str
    ref: str | None  # None: the default branch

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


def parse_location(location: str) -> Repository:
    """`owner/repo` or `owner/repo@ref`; ValueError saying what is expected."""
    name, _, ref = location.strip().partition("@")
    owner, _, repo = name.partition("/")
    if not (_NAME.match(owner) and _NAME.match(repo)) or (ref == "" and "@" in location):
        raise ValueError(f"{location}: not a repository; give owner/repo or owner/repo@ref (a branch, tag or commit)")
    return Repository(owner, repo.removesuffix(".git"), ref or None)


def normalized_path(path: str | None) -> str:
    """A folder (or file) of the repository, without surrounding slashes: "" is all of it."""
    return "/".join(part for part in (path or "").strip().split("/") if part not in ("", "."))


def graphql_url(api_url: str) -> str:
    """GraphQL's endpoint beside a REST base: api.github.com/graphql, or for GitHub
    Enterprise Server (https://HOST/api/v3) https://HOST/api/graphql."""
    base = api_url.rstrip("/")
    return base.removesuffix("/v3") + "/graphql" if base.endswith("/api/v3") else base + "/graphql"


def web_url(api_url: str) -> str:
    """The web address beside a REST base, when the repository does not say (it does, in
    html_url): https://github.com for api.github.com, https://HOST for https://HOST/api/v3."""
    url = httpx.URL(api_url)
    if url.host == "api.github.com":
        return "https://github.com"
    return str(url.copy_with(path=url.path.rstrip("/").removesuffix("/api/v3") or "/", query=None)).rstrip("/")


class GitHubError(SourceError):
    """What GitHub refused or could not answer, in words naming the repository or file."""


class GitHubAPI:
    """The one way this connector talks to GitHub: the base URL, the token's header (to the
    API's origin only), rate limits and the mapping of answers to errors."""

    def __init__(self, client: httpx.Client, *, api_url: str, token: str | None):
        self.client = client
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.spent: str | None = None  # the rate limit's message, once spent: no more requests
        try:
            self._origin = httpx.URL(self.api_url).copy_with(path="/", query=None, fragment=None)
        except httpx.InvalidURL:
            self._origin = httpx.URL()
        if self._origin.scheme not in ("http", "https") or not self._origin.host:
            raise GitHubError(f"GitHub's API URL must be an http(s) URL such as https://github.example.com/api/v3, got {api_url!r}")

    def _headers(self, url: str) -> dict[str, str]:
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if self.token and httpx.URL(url).copy_with(path="/", query=None, fragment=None) == self._origin:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def scrub(self, text: str) -> str:
        return text.replace(self.token, "[token]") if self.token else text

    def request(self, method: str, url: str, *, what: str, not_found: str, **kwargs: Any) -> httpx.Response:
        """GET or POST `url` (absolute, or a path under the API); GitHubError naming `what`
        unless it answers 200."""
        if self.spent:
            raise GitHubError(f"{what}: not read: {self.spent}")
        if not url.startswith(("http://", "https://")):
            url = self.api_url + url
        try:
            response = self.client.request(method, url, headers=self._headers(url), follow_redirects=True, **kwargs)
        except httpx.HTTPError as exc:
            raise GitHubError(f"{what}: GitHub could not be reached at {self._origin.host} ({type(exc).__name__})") from None
        if response.status_code == 200:
            return response
        raise GitHubError(self.scrub(f"{what}: {self._refusal(response, not_found)}"))

    def get_json(self, path: str, *, what: str, not_found: str, params: dict | None = None, shape: Any = dict) -> Any:
        """The answer's JSON, of the `shape` expected (a type or tuple of types)."""
        response = self.request("GET", path, what=what, not_found=not_found, params=params)
        try:
            answer = response.json()
        except ValueError:
            raise GitHubError(f"{what}: GitHub answered something other than JSON") from None
        if not isinstance(answer, shape):
            raise GitHubError(f"{what}: GitHub answered JSON of another shape than expected")
        return answer

    def pages(self, path: str, *, what: str, not_found: str, params: dict) -> Iterator[Any]:
        """Each item of a listing, page after page by its Link header (on the API's origin)."""
        url: str | None = path
        query: dict | None = {**params, "per_page": _PAGE}
        while url:
            response = self.request("GET", url, what=what, not_found=not_found, params=query)
            try:
                page = response.json()
            except ValueError:
                page = None
            if not isinstance(page, list):
                raise GitHubError(f"{what}: GitHub answered something other than a JSON list")
            yield from page
            url, query = response.links.get("next", {}).get("url"), None
            if url and httpx.URL(url).copy_with(path="/", query=None, fragment=None) != self._origin:
                raise GitHubError(f"{what}: the next page is on another host ({httpx.URL(url).host}); not followed")

    def graphql(self, query: str, variables: dict, *, what: str) -> dict:
        response = self.request(
            "POST",
            graphql_url(self.api_url),
            what=what,
            not_found="GitHub's GraphQL API was not found (GitHub Enterprise Server: it is HOST/api/graphql)",
            json={"query": query, "variables": variables},
        )
        try:
            answer = response.json()
        except ValueError:
            raise GitHubError(f"{what}: GitHub's GraphQL API answered something other than JSON") from None
        if answer.get("errors"):
            reasons = "; ".join(str(error.get("message", error))[:200] for error in answer["errors"][:3])
            raise GitHubError(self.scrub(f"{what}: GitHub's GraphQL API refused the query: {reasons}"))
        return answer.get("data") or {}

    def _refusal(self, response: httpx.Response, not_found: str) -> str:
        status = response.status_code
        if status in (403, 429):
            limit = _rate_limit(response, token=bool(self.token))
            if limit:
                self.spent = limit
                return limit
        if status == 401:
            return "GitHub refused the token (HTTP 401: bad or expired credentials); check --github-token-file or GITHUB_TOKEN"
        if status == 403:
            reason = "the token may lack read access to it" if self.token else "no token was given (--github-token-file or GITHUB_TOKEN)"
            return f"GitHub refused access (HTTP 403: {_message(response) or 'forbidden'}); {reason}"
        if status in (404, 422):
            return not_found
        if status == 410:
            return f"GitHub answered HTTP 410 ({_message(response) or 'gone'})"
        return f"GitHub answered HTTP {status}"


def _message(response: httpx.Response) -> str:
    try:
        message = response.json().get("message", "")
    except (ValueError, AttributeError):
        return ""
    return str(message)[:200]


def _rate_limit(response: httpx.Response, *, token: bool) -> str | None:
    """The rate limit's words when that is why GitHub refused: when it resets, or how long to wait."""
    headers = response.headers
    if headers.get("x-ratelimit-remaining") == "0" and headers.get("x-ratelimit-reset", "").isdigit():
        resets = datetime.fromtimestamp(int(headers["x-ratelimit-reset"]), UTC)
        minutes = max(0, math.ceil((resets - datetime.now(UTC)).total_seconds() / 60))
        hourly = headers.get("x-ratelimit-limit", "?")
        advice = "" if token else "; a token raises it to 5,000 (--github-token-file or GITHUB_TOKEN)"
        return (
            f"GitHub's API rate limit ({hourly} requests an hour) is spent; it resets at "
            f"{resets:%Y-%m-%d %H:%M:%S} UTC, in {minutes} min{advice}"
        )
    if headers.get("retry-after", "").isdigit():
        return f"GitHub's secondary rate limit was hit; retry after {headers['retry-after']} seconds"
    return None


def read_token(token_file: str | None) -> str | None:
    """The token from its file, else the GITHUB_TOKEN setting, else None. The messages name
    the option, never the file's content."""
    if token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not UTF-8 text"
            raise GitHubError(f"the GitHub token file {token_file} cannot be read ({reason})") from None
        if not token or any(character.isspace() for character in token):
            raise GitHubError(f"the GitHub token file {token_file} must hold one token and nothing else")
        return token
    return django_settings.GITHUB_TOKEN or None


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except httpx.InvalidURL:
        return url


def _api_url(settings: dict) -> str:
    return (settings.get("api_url") or django_settings.GITHUB_API_URL or GITHUB_API).rstrip("/")


@dataclass(frozen=True)
class _Entry:
    path: str
    sha: str
    size: int | None


class _Listing:
    """One collect's state: the repository, its web address and ref, the API."""

    def __init__(self, api: GitHubAPI, repository: Repository, settings: dict, known: dict[str, dict]):
        self.api = api
        self.repository = repository
        self.label = repository.full_name + (f"@{repository.ref}" if repository.ref else "")
        self.path = normalized_path(settings.get("path"))
        self.known = known
        self.ref = repository.ref or ""
        self.html_url = ""
        self.complete = True
        self.errors: list[str] = []
        # Every source the listing named, read or not: a read that fails must not prune the
        # stored document (Collection.listed: run_ingestion's seen_sources).
        self.listed: list[str] = []

    @property
    def base(self) -> str:
        return f"/repos/{quote(self.repository.owner)}/{quote(self.repository.name)}"

    def open(self) -> None:
        """The repository: its default branch and web address; GitHubError when not found."""
        found = self.api.get_json(
            self.base,
            what=self.label,
            not_found=(
                f"repository {self.repository.full_name} not found at {httpx.URL(self.api.api_url).host} "
                "(GitHub answers 404 too for a private repository the token cannot read)"
            ),
        )
        self.ref = self.repository.ref or str(found.get("default_branch") or "")
        if not self.ref:
            raise GitHubError(f"{self.label}: the repository has no default branch (is it empty?); give one with @ref")
        self.html_url = str(found.get("html_url") or f"{web_url(self.api.api_url)}/{self.repository.full_name}").rstrip("/")

    def wanted(self, path: str) -> bool:
        if self.path and not (path == self.path or path.startswith(self.path + "/")):
            return False
        return not any(part.startswith(".") for part in path.split("/")) and PurePosixPath(path).suffix.lower() in EXTENSIONS

    def files(self) -> list[_Entry]:
        """The files to read, from the recursive tree, or the contents API when GitHub truncated it."""
        tree = self.api.get_json(
            f"{self.base}/git/trees/{quote(self.ref, safe='/')}",
            params={"recursive": "1"},
            what=self.label,
            not_found=f"ref {self.ref!r} not found in {self.repository.full_name}",
        )
        if not tree.get("truncated"):
            return [
                _Entry(entry["path"], entry["sha"], entry.get("size"))
                for entry in tree.get("tree", [])
                if entry.get("type") == "blob" and entry.get("mode") != "120000" and self.wanted(entry["path"])
            ]
        return sorted(self._walk(self.path), key=lambda entry: entry.path)

    def _walk(self, folder: str) -> Iterator[_Entry]:
        listed = self.api.get_json(
            f"{self.base}/contents/{quote(folder)}".rstrip("/"),
            params={"ref": self.ref},
            what=self.label,
            not_found=f"{folder or '/'} not found in {self.repository.full_name} at {self.ref!r}",
            shape=(dict, list),
        )
        entries = listed if isinstance(listed, list) else [listed]
        if len(entries) >= _CONTENTS_LIMIT:
            self.complete = False
            self.errors.append(
                f"{self.label}: {folder or '/'} holds more than GitHub lists ({_CONTENTS_LIMIT} entries); "
                "files beyond them were not read and nothing was pruned"
            )
        for entry in entries:
            if entry.get("type") == "dir" and not PurePosixPath(entry["path"]).name.startswith("."):
                yield from self._walk(entry["path"])
            elif entry.get("type") == "file" and self.wanted(entry["path"]):
                yield _Entry(entry["path"], entry["sha"], entry.get("size"))

    def blob_url(self, path: str) -> str:
        return f"{self.html_url}/blob/{quote(self.ref, safe='/')}/{quote(path)}"

    def read_file(self, entry: _Entry) -> SourceDocument:
        source = self.blob_url(entry.path)
        if self.known.get(source, {}).get("sha") == entry.sha:
            raise Unchanged(source)
        if entry.size is not None and entry.size > MAX_BYTES:
            raise SourceError(f"{source}: larger than {MAX_BYTES // (1024 * 1024)} MiB")
        blob = self.api.get_json(f"{self.base}/git/blobs/{entry.sha}", what=source, not_found="its blob was not found (HTTP 404)")
        try:
            data = base64.b64decode(blob["content"]) if blob.get("encoding") == "base64" else str(blob["content"]).encode()
        except (KeyError, TypeError, binascii.Error):
            raise SourceError(f"{source}: GitHub's blob could not be decoded") from None
        document = read_document(source, data, EXTENSIONS[PurePosixPath(entry.path).suffix.lower()], entry.path)
        return replace(document, metadata={**document.metadata, "url": source}, fetch={"sha": entry.sha})

    def issues(self) -> list[Callable[[], SourceDocument]]:
        items: list[Callable[[], SourceDocument]] = []
        for issue in self.api.pages(
            f"{self.base}/issues",
            params={"state": "all"},
            what=f"{self.label} (issues)",
            not_found=f"the issues of {self.repository.full_name} were not found",
        ):
            if isinstance(issue, dict) and "pull_request" not in issue and issue.get("html_url") and issue.get("number"):
                items.append(functools.partial(self.read_issue, issue))
                self.listed.append(str(issue["html_url"]))
        return items

    def read_issue(self, issue: dict) -> SourceDocument:
        source = str(issue["html_url"])
        fetch = {"updated_at": issue.get("updated_at")}
        if self.known.get(source) == fetch:
            raise Unchanged(source)
        comments = []
        if issue.get("comments"):
            comments = list(
                self.api.pages(
                    f"{self.base}/issues/{int(issue['number'])}/comments",
                    params={},
                    what=source,
                    not_found="its comments were not found",
                )
            )
        return issue_document(issue, comments, fetch=fetch)

    def discussions(self) -> list[Callable[[], SourceDocument]]:
        what = f"{self.label} (discussions)"
        if not self.api.token:
            raise GitHubError(f"{what}: not read: GitHub's GraphQL API needs a token (--github-token-file or GITHUB_TOKEN)")
        items: list[Callable[[], SourceDocument]] = []
        after = None
        while True:
            data = self.api.graphql(_DISCUSSIONS, {**self._names(), "after": after}, what=what)
            listing = ((data.get("repository") or {}).get("discussions")) or {}
            for node in listing.get("nodes") or []:
                if isinstance(node, dict) and node.get("url") and node.get("number"):
                    items.append(functools.partial(self.read_discussion, node))
                    self.listed.append(str(node["url"]))
            page = listing.get("pageInfo") or {}
            if not page.get("hasNextPage"):
                return items
            after = page.get("endCursor")

    def read_discussion(self, listed: dict) -> SourceDocument:
        source = str(listed["url"])
        fetch = {"updated_at": listed.get("updatedAt"), "comments": (listed.get("comments") or {}).get("totalCount", 0)}
        if self.known.get(source) == fetch:
            raise Unchanged(source)
        discussion: dict = {}
        comments: list[dict] = []
        after = None
        while True:
            data = self.api.graphql(_DISCUSSION, {**self._names(), "number": listed["number"], "after": after}, what=source)
            discussion = (data.get("repository") or {}).get("discussion") or {}
            if not discussion:
                raise SourceError(f"{source}: the discussion was not found")
            page = discussion.get("comments") or {}
            comments += page.get("nodes") or []
            if not (page.get("pageInfo") or {}).get("hasNextPage"):
                return discussion_document(source, discussion, comments, fetch=fetch)
            after = page["pageInfo"].get("endCursor")

    def _names(self) -> dict:
        return {"owner": self.repository.owner, "name": self.repository.name}


_DISCUSSIONS = """
query($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    discussions(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { number url updatedAt comments { totalCount } }
    }
  }
}
"""

_DISCUSSION = """
query($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    discussion(number: $number) {
      number title body createdAt author { login } category { name } answer { id }
      comments(first: 50, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id body createdAt author { login }
          replies(first: 50) { nodes { body createdAt author { login } } }
        }
      }
    }
  }
}
"""


def _login(node: dict | None) -> str:
    return str((node or {}).get("login") or "ghost")


def _day(stamp: str | None) -> str:
    return (stamp or "")[:10]


def issue_document(issue: dict, comments: list[dict], *, fetch: dict) -> SourceDocument:
    """An issue and its comments as one Markdown document linking to the issue."""
    labels = ", ".join(str(label.get("name")) for label in issue.get("labels") or [] if isinstance(label, dict))
    facts = [
        f"Issue #{issue['number']}",
        str(issue.get("state") or ""),
        f"opened by {_login(issue.get('user'))} on {_day(issue.get('created_at'))}",
    ]
    if issue.get("closed_at"):
        facts.append(f"closed on {_day(issue['closed_at'])}")
    if labels:
        facts.append(f"labels: {labels}")
    parts = [f"# {issue.get('title') or ''}".rstrip(), " · ".join(fact for fact in facts if fact), (issue.get("body") or "").strip()]
    for comment in comments:
        parts += [f"## {_login(comment.get('user'))} on {_day(comment.get('created_at'))}", (comment.get("body") or "").strip()]
    source = str(issue["html_url"])
    return SourceDocument(
        source=source,
        title=str(issue.get("title") or source)[:512],
        content="\n\n".join(part for part in parts if part),
        type="markdown",
        metadata={"url": source},
        fetch=fetch,
    )


def discussion_document(source: str, discussion: dict, comments: list[dict], *, fetch: dict) -> SourceDocument:
    """A discussion, its comments and their replies as one Markdown document linking to it."""
    answer = (discussion.get("answer") or {}).get("id")
    facts = [
        f"Discussion #{discussion.get('number')}",
        f"opened by {_login(discussion.get('author'))} on {_day(discussion.get('createdAt'))}",
    ]
    if (discussion.get("category") or {}).get("name"):
        facts.append(f"category: {discussion['category']['name']}")
    parts = [f"# {discussion.get('title') or ''}".rstrip(), " · ".join(facts), (discussion.get("body") or "").strip()]
    for comment in comments:
        accepted = " (the accepted answer)" if answer and comment.get("id") == answer else ""
        parts += [f"## {_login(comment.get('author'))} on {_day(comment.get('createdAt'))}{accepted}", (comment.get("body") or "").strip()]
        for reply in (comment.get("replies") or {}).get("nodes") or []:
            parts += [f"### {_login(reply.get('author'))} replied on {_day(reply.get('createdAt'))}", (reply.get("body") or "").strip()]
    return SourceDocument(
        source=source,
        title=str(discussion.get("title") or source)[:512],
        content="\n\n".join(part for part in parts if part),
        type="markdown",
        metadata={"url": source},
        fetch=fetch,
    )


class GitHubConnector:
    kind = "github"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--github",
            action="append",
            default=[],
            metavar="OWNER/REPO[@REF]",
            help="a GitHub repository's files of the supported kinds, at a branch, tag or commit (default: its default branch); repeatable",
        )
        parser.add_argument("--path", dest="github_path", default="", help="only the repository's files under this folder (e.g. docs/)")
        parser.add_argument(
            "--issues", dest="github_issues", action="store_true", help="also its issues and discussions, each with its comments"
        )
        parser.add_argument(
            "--github-token-file",
            default=None,
            metavar="PATH",
            help="a file holding the GitHub token (default: the GITHUB_TOKEN environment variable; none: public repositories only)",
        )
        parser.add_argument(
            "--github-api-url",
            default=None,
            metavar="URL",
            help="GitHub's REST API (default: GITHUB_API_URL, else https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3)",
        )

    def requested(self, options: dict) -> list[str]:
        return list(options.get("github") or [])

    def settings(self, options: dict) -> dict:
        """What a KnowledgeSource keeps: never the token, only the path of its file
        (absolute, so kb_sync finds it from anywhere). ValidationError on a bad value."""
        chosen: dict[str, Any] = {"path": normalized_path(options.get("github_path")), "issues": bool(options.get("github_issues"))}
        token_file = options.get("github_token_file")
        if token_file:
            if _TOKEN_LIKE.match(token_file.strip()):
                # Not echoed: it is a token, given where a path belongs (or by an abbreviated option).
                raise ValidationError(
                    "--github-token-file takes the path of a file holding the token, not the token itself "
                    "(a command line is visible to others): put it in a file, or in GITHUB_TOKEN"
                )
            if not Path(token_file).is_file():
                raise ValidationError(f"--github-token-file: {token_file} is not a file")
            chosen["token_file"] = str(Path(token_file).resolve())
        api_url = (options.get("github_api_url") or "").strip().rstrip("/")
        if api_url:
            if not api_url.startswith(("http://", "https://")) or not httpx.URL(api_url).host:
                raise ValidationError(f"--github-api-url must be an http(s) URL such as https://github.example.com/api/v3, got {api_url!r}")
            chosen["api_url"] = api_url
        return chosen

    def warnings(self, location: str, settings: dict) -> list[str]:
        if settings.get("token_file") or getattr(django_settings, "GITHUB_TOKEN", None):
            return []
        without = " (and no discussions: GitHub's GraphQL API needs one)" if settings.get("issues") else ""
        return [
            f"{location}: no GitHub token (--github-token-file or GITHUB_TOKEN): public repositories only, 60 API requests an hour{without}"
        ]

    def key(self, location: str, settings: dict) -> str:
        """github:[HOST/]owner/repo[@ref][:path]: a ref or folder of its own is another
        collection, pruned on its own."""
        try:
            repository = parse_location(location)
            name, at, ref = repository.full_name.lower(), "@" if repository.ref else "", repository.ref or ""
        except ValueError:
            name, at, ref = location.strip().partition("@")
        api_url = settings.get("api_url")
        host = f"{_host(api_url)}/" if api_url and api_url.rstrip("/") != GITHUB_API else ""
        path = normalized_path(settings.get("path"))
        return f"github:{host}{name}{at}{ref}" + (f":{path}" if path else "")

    def collect(self, location: str, settings: dict, *, known: dict[str, dict], client: httpx.Client) -> Collection:
        key = self.key(location, settings)
        try:
            repository = parse_location(location)
            api = GitHubAPI(client, api_url=_api_url(settings), token=read_token(settings.get("token_file")))
        except (ValueError, GitHubError) as exc:
            return Collection(key=key, items=[], errors=[str(exc)], complete=False)
        listing = _Listing(api, repository, settings, known)
        items: list[Callable[[], SourceDocument]] = []
        try:
            listing.open()
            files = listing.files()
        except GitHubError as exc:
            return Collection(key=key, items=[], errors=[*listing.errors, str(exc)], complete=False)
        except (KeyError, TypeError, AttributeError):  # JSON of the expected shape, without the fields GitHub sends
            return Collection(key=key, items=[], errors=[f"{listing.label}: GitHub's answer lacked what a tree has"], complete=False)
        if not files and not settings.get("issues"):
            # As an empty folder: nothing pruned, and said (a --path mistyped, a ref without docs).
            where = f"under {listing.path}/ " if listing.path else ""
            listing.errors.append(
                f"{listing.label}: no files of the supported kinds ({', '.join(sorted(EXTENSIONS))}) {where}at {listing.ref}"
            )
        items += [functools.partial(listing.read_file, entry) for entry in files]
        listing.listed += [listing.blob_url(entry.path) for entry in files]
        if settings.get("issues"):
            for part in (listing.issues, listing.discussions):
                try:
                    items += part()
                except GitHubError as exc:
                    listing.errors.append(str(exc))
        return Collection(
            key=key,
            items=items,
            total=len(items),
            errors=listing.errors,
            complete=listing.complete and not listing.errors,
            listed=listing.listed,
        )


CONNECTOR = GitHubConnector()
