"""kb_ingest --github against a real local HTTP server playing GitHub's API: the tree, blobs,
the contents API, issues with comments, discussions (GraphQL), rate limits, 404 and 401."""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import time
from dataclasses import dataclass, field

import pytest
from django.core.management import CommandError, call_command

from identity.access import AccessContext
from knowledge.connectors.github import CONNECTOR, graphql_url, parse_location, web_url
from knowledge.models import Document, IndexingRun
from knowledge.retrieval import search_blocking
from tests.httpserver import FakeHttpServer, Reply, Request

pytestmark = pytest.mark.django_db

TOKEN = "ghp_TestTokenThatMustNeverBeSeen0123456789"
REPO = "https://github.com/acme/docs"


def git_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def header(request: Request, name: str) -> str | None:
    return next((value for key, value in request.headers.items() if key.lower() == name.lower()), None)


@dataclass
class FakeGitHub:
    """GitHub's API for one repository, acme/docs, that needs the token: `publish()` after changing it."""

    server: FakeHttpServer
    files: dict[str, bytes] = field(default_factory=dict)
    issues: list[dict] = field(default_factory=list)
    comments: dict[int, list[dict]] = field(default_factory=dict)
    discussions: list[dict] = field(default_factory=list)
    refs: tuple[str, ...] = ("main", "v2")
    truncated: bool = False
    token: str | None = TOKEN
    output: str = ""  # what the last kb_ingest wrote, stdout and stderr

    def publish(self) -> None:
        routes = self.server.routes
        routes.clear()
        base = "/repos/acme/docs"
        routes[base] = self._authorized(Reply(body={"full_name": "acme/docs", "default_branch": "main", "html_url": REPO}))
        tree = [
            {"path": path, "mode": "100644", "type": "blob", "sha": git_sha(data), "size": len(data)} for path, data in self.files.items()
        ]
        folders = sorted({path.rsplit("/", 1)[0] for path in self.files if "/" in path})
        tree += [{"path": folder, "mode": "040000", "type": "tree", "sha": "0" * 40} for folder in folders]
        for ref in self.refs:
            routes[f"{base}/git/trees/{ref}?recursive=1"] = self._authorized(
                Reply(body={"sha": "1" * 40, "tree": sorted(tree, key=lambda e: e["path"]), "truncated": self.truncated})
            )
        for data in self.files.values():
            blob = {"sha": git_sha(data), "encoding": "base64", "size": len(data), "content": base64.encodebytes(data).decode()}
            routes[f"{base}/git/blobs/{git_sha(data)}"] = self._authorized(Reply(body=blob))
        for folder in ["", *folders]:  # the contents API, one directory a request
            entries = [
                {"type": "file", "name": path.rsplit("/", 1)[-1], "path": path, "sha": git_sha(data), "size": len(data)}
                for path, data in self.files.items()
                if (path.rsplit("/", 1)[0] if "/" in path else "") == folder
            ]
            entries += [
                {"type": "dir", "name": sub.rsplit("/", 1)[-1], "path": sub, "sha": "0" * 40, "size": 0}
                for sub in folders
                if (sub.rsplit("/", 1)[0] if "/" in sub else "") == folder
            ]
            routes[f"{base}/contents{'/' + folder if folder else ''}?ref=main"] = self._authorized(Reply(body=entries))
        # Issues in two pages joined by a Link header, as GitHub paginates them.
        first, second = self.issues[:2], self.issues[2:]
        next_page = f'<{self.server.url}{base}/issues?state=all&per_page=100&page=2>; rel="next"'
        routes[f"{base}/issues?state=all&per_page=100"] = self._authorized(Reply(body=first, headers={"Link": next_page} if second else {}))
        routes[f"{base}/issues?state=all&per_page=100&page=2"] = self._authorized(Reply(body=second))
        for number, comments in self.comments.items():
            routes[f"{base}/issues/{number}/comments?per_page=100"] = self._authorized(Reply(body=comments))
        routes["/graphql"] = self._authorized(self._graphql)

    def _authorized(self, reply):
        def answer(request: Request) -> Reply:
            if self.token and header(request, "authorization") != f"Bearer {self.token}":
                return Reply(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
            return reply(request) if callable(reply) else reply

        return answer

    def _graphql(self, request: Request) -> Reply:
        query, variables = request.json()["query"], request.json()["variables"]
        if "discussions(" in query:
            nodes = [
                {"number": d["number"], "url": d["url"], "updatedAt": d["updatedAt"], "comments": {"totalCount": len(d["comments"])}}
                for d in self.discussions
            ]
            return Reply(body={"data": {"repository": {"discussions": {"pageInfo": {"hasNextPage": False}, "nodes": nodes}}}})
        found = next(d for d in self.discussions if d["number"] == variables["number"])
        comments = {"pageInfo": {"hasNextPage": False}, "nodes": found["comments"]}
        return Reply(body={"data": {"repository": {"discussion": {**found, "comments": comments}}}})

    def requested(self, part: str) -> list[str]:
        return [request.path for request in self.server.requests if part in request.path]


@pytest.fixture
def github(http_server, settings, tmp_path):
    settings.GITHUB_TOKEN = None  # whatever the machine's environment says
    fake = FakeGitHub(http_server)
    fake.files = {
        "README.md": b"# Acme docs\n\nThis repository holds the help centre.",
        "docs/returns.md": b"# Returns\n\nReturns are accepted within 17 days of delivery.",
        "docs/faq/hours.txt": b"The shop opens at nine and closes at six.",
        "docs/logo.png": b"\x89PNG not a document",
        "docs/.drafts/secret.md": b"# Draft\n\nNot published yet.",
    }
    fake.publish()
    return fake


@pytest.fixture
def token_file(tmp_path):
    path = tmp_path / "github-token"
    path.write_text(TOKEN + "\n")
    return path


def kb_ingest(github: FakeGitHub, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("kb_ingest", "--github-api-url", github.server.url, *args, stdout=out, stderr=err)
    finally:
        github.output = out.getvalue() + err.getvalue()
    return out.getvalue()


def last_run() -> IndexingRun:
    return IndexingRun.objects.order_by("-started_at").first()


def test_a_repository_folder_is_ingested_with_citations_linking_to_the_blob_at_the_ref(github, token_file):
    output = kb_ingest(github, "--github", "acme/docs", "--path", "docs/", "--github-token-file", str(token_file), "--org", "acme")

    documents = {d.source: d for d in Document.objects.filter(organization_id="acme")}
    # Only the supported kinds under --path; hidden folders skipped as a folder's are.
    assert set(documents) == {f"{REPO}/blob/main/docs/returns.md", f"{REPO}/blob/main/docs/faq/hours.txt"}
    returns = documents[f"{REPO}/blob/main/docs/returns.md"]
    assert (returns.title, returns.url, returns.ingest_root) == (
        "Returns",
        f"{REPO}/blob/main/docs/returns.md",
        "github:127.0.0.1/acme/docs:docs",
    )
    assert returns.metadata == {"url": returns.url, "fetch": {"sha": git_sha(github.files["docs/returns.md"])}}
    assert documents[f"{REPO}/blob/main/docs/faq/hours.txt"].title == "docs/faq/hours.txt"  # no heading: titled by its path
    assert "2 seen, 2 added, 0 updated, 0 unchanged, 0 deleted" in output
    assert (last_run().status, last_run().source) == ("succeeded", "github:acme/docs")

    # The citation a visitor sees links to the file on GitHub.
    [best] = search_blocking("How long is the return window?", AccessContext.anonymous("acme"), limit=1)
    assert (best.url, best.metadata["url"]) == (returns.url, returns.url)
    assert "fetch" not in best.metadata  # fetch state is kept on the document only

    # The default branch was asked for once, then the tree at it and the two blobs, each with the token.
    assert github.requested("/repos/") == [
        "/repos/acme/docs",
        "/repos/acme/docs/git/trees/main?recursive=1",
        f"/repos/acme/docs/git/blobs/{git_sha(github.files['docs/faq/hours.txt'])}",
        f"/repos/acme/docs/git/blobs/{git_sha(github.files['docs/returns.md'])}",
    ]
    assert {header(request, "authorization") for request in github.server.requests} == {f"Bearer {TOKEN}"}


def test_a_ref_names_the_tree_and_the_links_and_is_a_collection_of_its_own(github, token_file):
    kb_ingest(github, "--github", "acme/docs@v2", "--github-token-file", str(token_file))
    assert set(Document.objects.values_list("source", flat=True)) == {
        f"{REPO}/blob/v2/README.md",
        f"{REPO}/blob/v2/docs/returns.md",
        f"{REPO}/blob/v2/docs/faq/hours.txt",
    }
    assert "/repos/acme/docs/git/trees/v2?recursive=1" in github.requested("/git/trees/")
    assert set(Document.objects.values_list("ingest_root", flat=True)) == {"github:127.0.0.1/acme/docs@v2"}


def test_a_rerun_reads_only_changed_blobs_and_prunes_deleted_files(github, token_file):
    args = ("--github", "acme/docs", "--path", "docs", "--github-token-file", str(token_file))
    kb_ingest(github, *args)
    unchanged_sha = git_sha(github.files["docs/faq/hours.txt"])
    github.files["docs/returns.md"] = b"# Returns\n\nReturns are accepted within 30 days now."
    github.files["docs/shipping.md"] = b"# Shipping\n\nParcels ship within two working days."
    del github.files["docs/faq/hours.txt"]
    github.files["docs/faq/gift-cards.md"] = b"# Gift cards\n\nGift cards never expire."
    github.publish()
    github.server.requests.clear()

    output = kb_ingest(github, *args)

    assert "3 seen, 2 added, 1 updated, 0 unchanged, 1 deleted" in output
    assert Document.objects.get(source=f"{REPO}/blob/main/docs/returns.md").content.endswith("within 30 days now.")
    assert not Document.objects.filter(source=f"{REPO}/blob/main/docs/faq/hours.txt").exists()
    # Only the new blobs were fetched.
    assert sorted(github.requested("/git/blobs/")) == sorted(
        f"/repos/acme/docs/git/blobs/{git_sha(github.files[path])}"
        for path in ("docs/returns.md", "docs/shipping.md", "docs/faq/gift-cards.md")
    )
    assert f"/repos/acme/docs/git/blobs/{unchanged_sha}" not in github.requested("/git/blobs/")

    github.server.requests.clear()
    assert "3 seen, 0 added, 0 updated, 3 unchanged, 0 deleted" in kb_ingest(github, *args)
    assert github.requested("/git/blobs/") == []  # an unchanged file costs no request beyond the tree


def test_a_tree_github_truncated_is_walked_with_the_contents_api(github, token_file):
    github.truncated = True
    github.publish()
    kb_ingest(github, "--github", "acme/docs", "--path", "docs", "--github-token-file", str(token_file))
    assert set(Document.objects.values_list("source", flat=True)) == {
        f"{REPO}/blob/main/docs/returns.md",
        f"{REPO}/blob/main/docs/faq/hours.txt",
    }
    assert github.requested("/contents") == ["/repos/acme/docs/contents/docs?ref=main", "/repos/acme/docs/contents/docs/faq?ref=main"]
    assert last_run().status == "succeeded"


def issue(number: int, title: str, body: str, updated: str, *, comments: int = 0, pull_request: bool = False) -> dict:
    found = {
        "number": number,
        "title": title,
        "body": body,
        "state": "closed",
        "html_url": f"{REPO}/{'pull' if pull_request else 'issues'}/{number}",
        "user": {"login": "visitor"},
        "labels": [{"name": "question"}],
        "created_at": "2024-05-01T10:00:00Z",
        "closed_at": "2024-05-03T10:00:00Z",
        "updated_at": updated,
        "comments": comments,
    }
    return {**found, "pull_request": {"url": "..."}} if pull_request else found


def comment(login: str, body: str) -> dict:
    return {"user": {"login": login}, "body": body, "created_at": "2024-05-02T09:00:00Z"}


def test_issues_and_discussions_are_documents_with_their_comments_linking_to_them(github, token_file):
    github.files = {"docs/returns.md": github.files["docs/returns.md"]}
    github.issues = [
        issue(1, "Refund for a damaged parcel", "My parcel arrived broken. Can I get a refund?", "2024-05-03T10:00:00Z", comments=2),
        issue(2, "Bump a dependency", "A pull request, not an issue.", "2024-05-03T10:00:00Z", pull_request=True),
        issue(3, "Opening hours on holidays", "Are you open on public holidays?", "2024-05-04T10:00:00Z"),
    ]
    github.comments = {1: [comment("support", "Yes: damaged parcels are refunded in full."), comment("visitor", "Thanks, it worked.")]}
    github.discussions = [
        {
            "number": 7,
            "url": f"{REPO}/discussions/7",
            "title": "Which carriers do you use?",
            "body": "Asking before I order.",
            "updatedAt": "2024-05-05T10:00:00Z",
            "createdAt": "2024-05-05T09:00:00Z",
            "author": {"login": "shopper"},
            "category": {"name": "Q&A"},
            "answer": {"id": "C1"},
            "comments": [
                {
                    "id": "C1",
                    "body": "We ship with DHL and UPS.",
                    "createdAt": "2024-05-05T11:00:00Z",
                    "author": {"login": "support"},
                    "replies": {"nodes": [{"body": "Good to know.", "createdAt": "2024-05-05T12:00:00Z", "author": {"login": "shopper"}}]},
                }
            ],
        }
    ]
    github.publish()
    args = ("--github", "acme/docs", "--issues", "--github-token-file", str(token_file))

    output = kb_ingest(github, *args)

    assert "4 seen, 4 added" in output
    refund = Document.objects.get(source=f"{REPO}/issues/1")
    assert (refund.title, refund.url, refund.type) == ("Refund for a damaged parcel", f"{REPO}/issues/1", "markdown")
    assert refund.content == (
        "# Refund for a damaged parcel\n\n"
        "Issue #1 · closed · opened by visitor on 2024-05-01 · closed on 2024-05-03 · labels: question\n\n"
        "My parcel arrived broken. Can I get a refund?\n\n"
        "## support on 2024-05-02\n\nYes: damaged parcels are refunded in full.\n\n"
        "## visitor on 2024-05-02\n\nThanks, it worked."
    )
    assert not Document.objects.filter(source__contains="/pull/").exists()  # pull requests are not issues
    carriers = Document.objects.get(source=f"{REPO}/discussions/7")
    assert "## support on 2024-05-05 (the accepted answer)\n\nWe ship with DHL and UPS." in carriers.content
    assert "### shopper replied on 2024-05-05\n\nGood to know." in carriers.content
    assert carriers.metadata["url"] == f"{REPO}/discussions/7"
    # Both pages of issues were read; issue 3 has no comments, so none were asked for.
    assert github.requested("/issues") == [
        "/repos/acme/docs/issues?state=all&per_page=100",
        "/repos/acme/docs/issues?state=all&per_page=100&page=2",
        "/repos/acme/docs/issues/1/comments?per_page=100",
    ]

    # Again, with issue 3 updated: only it is read again; the rest are skipped by updated_at.
    github.issues[2] = issue(3, "Opening hours on holidays", "Are you open on public holidays? (Easter)", "2024-05-06T10:00:00Z")
    github.publish()
    github.server.requests.clear()
    assert "4 seen, 0 added, 1 updated, 3 unchanged, 0 deleted" in kb_ingest(github, *args)
    assert not github.requested("/comments")
    assert [request.json()["query"].count("discussion(number") for request in github.server.requests if request.path == "/graphql"] == [0]


def test_a_spent_rate_limit_says_when_it_resets_and_stops_asking(github, token_file):
    resets = int(time.time()) + 25 * 60
    limited = Reply(
        403,
        {"message": "API rate limit exceeded"},
        headers={"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(resets)},
    )
    shas = sorted(git_sha(data) for path, data in github.files.items() if path in ("README.md", "docs/returns.md", "docs/faq/hours.txt"))
    for sha in shas:
        github.server.routes[f"/repos/acme/docs/git/blobs/{sha}"] = limited

    with pytest.raises(CommandError) as failed:
        kb_ingest(github, "--github", "acme/docs", "--github-token-file", str(token_file))

    when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(resets))
    assert f"GitHub's API rate limit (5000 requests an hour) is spent; it resets at {when} UTC, in 25 min" in str(failed.value)
    assert f"{REPO}/blob/main/README.md: GitHub's API rate limit" in str(failed.value)
    assert len(github.requested("/git/blobs/")) == 1  # once spent, nothing more is asked
    assert str(failed.value).count("not read: GitHub's API rate limit") == 2
    assert last_run().status == "failed" and f"resets at {when} UTC" in last_run().error


def test_a_missing_repository_or_ref_is_named(github, token_file):
    with pytest.raises(CommandError) as failed:
        kb_ingest(github, "--github", "acme/nothing", "--github-token-file", str(token_file))
    assert "acme/nothing: repository acme/nothing not found at 127.0.0.1 (GitHub answers 404 too for a private repository" in str(
        failed.value
    )

    with pytest.raises(CommandError) as failed:
        kb_ingest(github, "--github", "acme/docs@v9", "--github-token-file", str(token_file))
    assert "acme/docs@v9: ref 'v9' not found in acme/docs" in str(failed.value)
    assert last_run().error == "acme/docs@v9: ref 'v9' not found in acme/docs"
    assert Document.objects.count() == 0


def test_a_path_with_nothing_to_read_is_said_and_prunes_nothing(github, token_file):
    args = ("--github", "acme/docs", "--path", "docs", "--github-token-file", str(token_file))
    kb_ingest(github, *args)
    github.files = {"README.md": github.files["README.md"]}  # docs/ gone: moved, or a ref without it
    github.publish()
    with pytest.raises(CommandError, match=r"acme/docs: no files of the supported kinds \(.*\.md.*\) under docs/ at main"):
        kb_ingest(github, *args)
    assert Document.objects.count() == 2  # as an empty folder: nothing pruned


def test_a_listing_that_fails_prunes_nothing(github, token_file):
    args = ("--github", "acme/docs", "--github-token-file", str(token_file))
    kb_ingest(github, *args)
    github.server.routes["/repos/acme/docs/git/trees/main?recursive=1"] = Reply(502, "bad gateway")
    with pytest.raises(CommandError, match="acme/docs: GitHub answered HTTP 502"):
        kb_ingest(github, *args)
    assert Document.objects.count() == 3


def test_a_bad_token_is_refused_without_ever_showing_it(github, tmp_path, caplog):
    wrong = "ghp_WrongTokenAlsoNeverToBeSeen987654321"
    path = tmp_path / "wrong-token"
    path.write_text(wrong)
    caplog.set_level(logging.DEBUG)

    with pytest.raises(CommandError) as failed:
        kb_ingest(github, "--github", "acme/docs", "--github-token-file", str(path))

    assert "acme/docs: GitHub refused the token (HTTP 401: bad or expired credentials)" in str(failed.value)
    assert header(github.server.requests[0], "authorization") == f"Bearer {wrong}"
    for seen in (str(failed.value), github.output, last_run().error, caplog.text):
        assert wrong not in seen and TOKEN not in seen


def test_the_token_comes_from_the_environment_and_never_from_the_command_line(github, token_file, settings, caplog):
    caplog.set_level(logging.DEBUG)
    settings.GITHUB_TOKEN = TOKEN  # smooth/settings.py reads GITHUB_TOKEN from the environment
    args = ["--github", "acme/docs", "--path", "docs"]
    kb_ingest(github, *args)
    assert Document.objects.count() == 2
    assert {header(request, "authorization") for request in github.server.requests} == {f"Bearer {TOKEN}"}
    assert TOKEN not in " ".join(args) and TOKEN not in github.output and TOKEN not in caplog.text
    assert TOKEN not in last_run().error and TOKEN not in last_run().source

    # There is no option for the token itself; a token where a path belongs is refused unechoed.
    with pytest.raises(CommandError) as failed:
        kb_ingest(github, *args, "--github-token-file", TOKEN)
    assert "takes the path of a file holding the token, not the token itself" in str(failed.value)
    assert TOKEN not in str(failed.value) and TOKEN not in github.output


def test_what_a_knowledge_source_keeps_is_the_token_files_path_never_the_token(token_file):
    chosen = CONNECTOR.settings(
        {"github_path": "/docs/", "github_issues": True, "github_token_file": str(token_file), "github_api_url": None}
    )
    assert chosen == {"path": "docs", "issues": True, "token_file": str(token_file.resolve())}
    assert CONNECTOR.settings({}) == {"path": "", "issues": False}


def test_without_a_token_public_repositories_are_read_and_the_limit_is_explained(github, settings):
    github.token = None
    github.publish()
    kb_ingest(github, "--github", "acme/docs", "--path", "docs")
    assert Document.objects.count() == 2
    assert {header(request, "authorization") for request in github.server.requests} == {None}
    assert (
        "warning: acme/docs: no GitHub token (--github-token-file or GITHUB_TOKEN): public repositories only, 60 API requests an hour"
        in (github.output)
    )

    github.server.routes["/repos/acme/docs"] = Reply(
        403,
        {"message": "API rate limit exceeded"},
        headers={"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"},
    )
    with pytest.raises(CommandError, match=r"\(60 requests an hour\) is spent; .* a token raises it to 5,000"):
        kb_ingest(github, "--github", "acme/docs", "--path", "docs")
    assert Document.objects.count() == 2


def test_a_file_that_fails_is_named_and_the_run_goes_on(github, token_file):
    github.files["docs/notes.md"] = "# Notes\n\nLatin-1: caf\xe9".encode("latin-1")
    github.publish()
    github.server.routes[f"/repos/acme/docs/git/blobs/{git_sha(github.files['docs/returns.md'])}"] = Reply(500, "oops")

    with pytest.raises(CommandError) as failed:
        kb_ingest(github, "--github", "acme/docs", "--path", "docs", "--github-token-file", str(token_file))

    assert str(failed.value).splitlines()[1:] == [
        f"{REPO}/blob/main/docs/notes.md: not UTF-8 text",
        f"{REPO}/blob/main/docs/returns.md: GitHub answered HTTP 500",
    ]
    assert list(Document.objects.values_list("source", flat=True)) == [f"{REPO}/blob/main/docs/faq/hours.txt"]


def test_locations_and_enterprise_addresses():
    assert parse_location("acme/docs@release/2.0").ref == "release/2.0"
    with pytest.raises(ValueError, match="not a repository; give owner/repo or owner/repo@ref"):
        parse_location("acme")
    assert (graphql_url("https://api.github.com"), web_url("https://api.github.com")) == (
        "https://api.github.com/graphql",
        "https://github.com",
    )
    assert (graphql_url("https://ghe.example.com/api/v3"), web_url("https://ghe.example.com/api/v3/")) == (
        "https://ghe.example.com/api/graphql",
        "https://ghe.example.com",
    )
    assert CONNECTOR.key("Acme/Docs@v2", {"path": "docs"}) == "github:acme/docs@v2:docs"
    assert CONNECTOR.key("acme/docs", {"api_url": "https://ghe.example.com/api/v3"}) == "github:ghe.example.com/acme/docs"


def test_an_enterprise_repository_without_html_url_links_to_the_host_of_its_api(github, token_file):
    github.server.routes["/repos/acme/docs"] = Reply(body={"default_branch": "main"})
    kb_ingest(github, "--github", "acme/docs", "--path", "docs/returns.md", "--github-token-file", str(token_file))
    assert list(Document.objects.values_list("source", flat=True)) == [f"{github.server.url}/acme/docs/blob/main/docs/returns.md"]


def test_a_pdf_in_the_repository_is_read_with_its_pages(github, token_file):
    from tests.knowledge.files import markdown_to_pdf

    github.files = {
        "docs/policy.pdf": markdown_to_pdf(
            "# Returns policy\n\nReturns are accepted within 17 days.\n\f\n# Refunds\n\nRefunds take five working days."
        )
    }
    github.publish()
    kb_ingest(github, "--github", "acme/docs", "--github-token-file", str(token_file))
    document = Document.objects.get()
    assert (document.source, document.title, document.type) == (f"{REPO}/blob/main/docs/policy.pdf", "Returns policy", "pdf")
    assert [(chunk.metadata["page"], chunk.metadata["url"]) for chunk in document.chunks.order_by("position")] == [
        (1, document.source),
        (2, document.source),
    ]


def test_a_next_page_on_another_host_is_not_followed_with_the_token(github, token_file):
    elsewhere = github.server.url.replace("127.0.0.1", "localhost")  # the same server, under another origin
    github.server.routes["/repos/acme/docs/issues?state=all&per_page=100"] = Reply(
        body=[issue(1, "Refunds", "How long do refunds take?", "2024-05-03T10:00:00Z")],
        headers={"Link": f'<{elsewhere}/repos/acme/docs/issues?state=all&per_page=100&page=2>; rel="next"'},
    )
    with pytest.raises(CommandError, match=r"acme/docs \(issues\): the next page is on another host \(localhost\); not followed"):
        kb_ingest(github, "--github", "acme/docs", "--issues", "--github-token-file", str(token_file))
    assert not [request for request in github.server.requests if "page=2" in request.path]
    assert not Document.objects.filter(source__contains="/issues/").exists()
