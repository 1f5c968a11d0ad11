"""Help centre of Shipyard, a fictional hosted CI/CD service (held out: never tuned on)."""

from tests.knowledge.sets import Q, unanswerable

DOCUMENTS = {
    "plan-free": """# Free plan

The Free plan is for individuals and open-source projects.

- 2,000 build minutes per month
- 1 concurrent job
- Linux runners only
- Build logs kept for 7 days

No credit card is needed to sign up.
""",
    "plan-team": """# Team plan

The Team plan costs 15 dollars per user per month.

- 10,000 build minutes per month, shared by the organisation
- 5 concurrent jobs
- Linux and macOS runners
- Build logs kept for 30 days

You can add or remove seats at any time; changes are prorated on your next invoice.
""",
    "plan-business": """# Business plan

The Business plan costs 40 dollars per user per month and adds what larger companies need:

- 50,000 build minutes per month
- 20 concurrent jobs
- SAML single sign-on and audit logs
- Build logs kept for 90 days
- Email support with a response within 8 business hours
""",
    "plan-enterprise": """# Enterprise plan

Enterprise is priced per contract. It includes everything in Business plus self-hosted runners without limits, a 99.95% uptime SLA, a dedicated support engineer and build logs kept for as long as you choose. Contact sales for a quote.
""",
    "billing-monthly-refunds": """# Refunds for monthly subscriptions

Monthly subscriptions are not refunded. When you cancel a monthly plan, it stays active until the end of the current billing month, and then your organisation moves to the Free plan.
""",
    "billing-annual-refunds": """# Refunds for annual subscriptions

If you cancel an annual subscription within the first 30 days, we refund the full amount. After 30 days we refund the unused months, minus a 10% processing fee.
""",
    "extra-minutes": """# Buying extra build minutes

When an organisation uses up its monthly minutes, builds queue until the next month unless you have extra minutes. Extra minutes cost 8 dollars per 1,000 Linux minutes. macOS minutes count ten times: one macOS minute uses 10 minutes of your allowance.

Set a spending limit under **Billing > Usage limits** to avoid surprises.
""",
    "concurrency": """# Concurrent jobs

The number of jobs that can run at the same time depends on your plan. Extra jobs wait in the queue and start as soon as a slot is free. You can buy extra concurrency for 30 dollars per job per month on Team and Business.
""",
    "runners-linux": """# Linux runners

Linux jobs run on Ubuntu 22.04 virtual machines with 4 vCPUs and 16 GB of memory. Docker is pre-installed. Each job gets a fresh machine, which is destroyed when the job ends.
""",
    "runners-macos": """# macOS runners

macOS jobs run on Apple silicon machines with macOS 14 and Xcode pre-installed. They are available on the Team plan and above. A macOS job can run for at most 2 hours.
""",
    "runners-self-hosted": """# Self-hosted runners

Install the runner agent on your own machine to run jobs on your own hardware, for example to reach a private network.

```
curl -sSL https://get.example.com/runner | sh
shipyard-runner register --token <TOKEN>
```

Self-hosted runners do not use build minutes. Team organisations can register up to 5 self-hosted runners; Business up to 50.
""",
    "config-basics": """# Writing your first pipeline

Pipelines are defined in a file named `shipyard.yml` at the root of your repository. A pipeline has one or more jobs, and each job has steps that run shell commands.

```yaml
jobs:
  test:
    runner: linux
    steps:
      - run: npm ci
      - run: npm test
```

Push the file and the pipeline runs on every commit.
""",
    "config-reference": """# Pipeline configuration reference

This page lists every key of `shipyard.yml`. The top level holds `jobs`, and optionally `env`, `on` and `defaults`.

## Jobs

Each job has a `runner` (linux, macos or the label of a self-hosted runner) and a list of `steps`. Jobs run in parallel unless one lists another under `needs`, in which case it waits for the other to succeed.

## Steps

A step is either `run`, a shell command, or `uses`, a reusable component. Each step runs in the job's working directory. A step that exits with a non-zero code fails the job, unless the step sets `continue-on-error: true`.

## Timeouts

A job that runs longer than its `timeout-minutes` is cancelled. The default timeout is 60 minutes and the maximum is 360 minutes on Linux runners.

## Triggers

The `on` key chooses what starts the pipeline: `push`, `pull_request`, `schedule` and `manual`. Scheduled pipelines use cron syntax and run in UTC. A scheduled pipeline is disabled automatically after 60 days without any commit to the repository.

## Environment

Variables under `env` are available to every step. Secrets are referenced as `${{ secrets.NAME }}` and are never printed in logs.
""",
    "caching": """# Caching dependencies

Caching saves files between builds so that steps like installing dependencies run faster. Add a `cache` step with a `key` and the `paths` to keep.

```yaml
- cache:
    key: deps-${{ hashFiles('package-lock.json') }}
    paths: [node_modules]
```

Each repository can store up to 10 GB of cache. When it is full, the caches used least recently are deleted first. A cache that has not been used for 7 days is deleted.
""",
    "artifacts": """# Artifacts

Artifacts are files a job uploads so that you can download them after the build, such as test reports or binaries. Artifacts are kept for 14 days by default; you can choose from 1 to 90 days with `retention-days`. The largest single artifact is 5 GB.
""",
    "secrets": """# Secrets

Store API keys and passwords as secrets under **Project settings > Secrets**. Secrets are encrypted at rest and masked in build logs. They are not passed to builds from forks, so a pull request from a fork cannot read them.
""",
    "env-variables": """# Environment variables

Set variables for a project under **Project settings > Variables**, or in `shipyard.yml` under `env`. Every build also gets built-in variables, such as `SHIPYARD_BRANCH`, `SHIPYARD_COMMIT` and `SHIPYARD_BUILD_NUMBER`.
""",
    "github-integration": """# Connecting GitHub

Install the Shipyard app on your GitHub organisation and choose the repositories it may see. Shipyard then builds every push and reports each build's status as a check on the pull request.

To build pull requests from forks, turn on **Build fork pull requests** in the project settings.
""",
    "gitlab-integration": """# Connecting GitLab

Add Shipyard to GitLab with a personal access token that has the `api` scope. Shipyard adds a webhook to each project you choose and reports each build's status back to the merge request. Self-managed GitLab is supported on the Business plan and above.
""",
    "bitbucket-integration": """# Connecting Bitbucket

Connect Bitbucket Cloud from **Integrations > Bitbucket** and authorise Shipyard with OAuth. Bitbucket Server and Data Center are not supported.
""",
    "slack-notifications": """# Slack notifications

Send build results to a Slack channel: connect your Slack workspace under **Integrations > Slack**, then choose the channel per project. By default only failed builds and fixed builds are posted.
""",
    "teams-notifications": """# Microsoft Teams notifications

Post build results to a Microsoft Teams channel with an incoming webhook. Create the webhook in Teams, then paste its URL under **Integrations > Microsoft Teams**. Every finished build is posted.
""",
    "email-notifications": """# Email notifications

By default, the author of a commit gets an email when their build fails. Change this under **Profile > Notifications**: every build, failed builds only, or never.
""",
    "deploy-kubernetes": """# Deploying to Kubernetes

Use the `deploy/kubernetes` component with a kubeconfig stored as a secret. The component applies your manifests and waits for the rollout. If the rollout does not finish within 10 minutes, the step fails and the previous version keeps running.
""",
    "deploy-environments": """# Environments and approvals

Environments such as staging and production track what was deployed where. On Business and Enterprise you can protect an environment so that a deployment waits for approval from one of its reviewers. An approval request expires after 7 days.
""",
    "build-failing": """# Why is my build failing?

Builds fail for many reasons, and the build log is the best place to start. Open the failed job and read the log from the bottom up: the last step that ran is the one that failed, and its exit code is shown at the end.

If the build passes on your own computer but fails on Shipyard, the difference is usually the environment. Check the versions of your language and tools; the runner image may have a newer or older version than yours, so pin the versions you need in your pipeline. Check also that every environment variable and secret the build needs is set for the project, because secrets are not available to builds started from forks.

Flaky tests are another common cause: a test that depends on timing or on the order of tests may pass locally and fail on a busier machine. Use **Rerun failed jobs** to see whether a failure repeats.

If a job stops with the message "exit code 137", the job ran out of memory: Linux runners have 16 GB. Use a smaller test parallelism or a larger self-hosted runner.

If you cannot find the cause, enable debug logging by setting the variable `SHIPYARD_DEBUG` to `true` and run the build again.
""",
    "build-stuck": """# Build stuck in the queue

A build waits in the queue when all your concurrent job slots are busy, or when your organisation has no build minutes left. Check **Usage** for your minutes. If a build has been queued for more than 30 minutes with free slots, check the status page and contact support.
""",
    "ssh-debug": """# Debugging a build over SSH

Click **Rerun with SSH** on a finished job to start it again with SSH access. The SSH session stays open for 30 minutes after the job ends, or until you log out. Only users with write access to the project can start an SSH rerun.
""",
    "docker-builds": """# Building Docker images

Docker is available on Linux runners. To speed up image builds, turn on Docker layer caching in the job with `docker-cache: true`; it is available on the Team plan and above and stores up to 20 GB of layers per project.
""",
    "status-badges": """# Status badges

Show your build status in a README with a badge. Copy the Markdown snippet from **Project settings > Badges**. Badges of private projects need a token in the URL.
""",
    "api-tokens": """# API tokens

Create a personal API token under **Profile > API tokens** to call the Shipyard API. Tokens inherit your permissions and can be given an expiry date. A token that has not been used for 90 days is revoked automatically.
""",
    "api-rate-limits": """# API rate limits

The API allows 5,000 requests per hour per token. Every response carries the `X-RateLimit-Remaining` header. When you go over the limit, requests get status 429 until the hour resets.
""",
    "sso-saml": """# Single sign-on with SAML

On the Business and Enterprise plans, organisation owners can require members to sign in through your identity provider. Okta, Azure AD and Google Workspace are supported. Turn it on under **Organisation settings > Security > SAML**; members who have not signed in with SSO lose access after 24 hours.
""",
    "two-factor": """# Two-factor authentication

Protect your account with an authenticator app or a security key under **Profile > Security**. Organisation owners can require two-factor authentication for every member; members without it are removed from the organisation until they turn it on.
""",
    "audit-log": """# Audit log

The audit log records who changed settings, secrets and members, and when. It is available on Business and Enterprise and keeps events for 1 year. Export it as CSV from **Organisation settings > Audit log**.
""",
    "org-members": """# Inviting members

Invite people to your organisation by email from **Organisation settings > Members**. Each member takes one seat on paid plans. An invitation expires after 7 days. Members can be owners, admins or developers.
""",
    "transfer-project": """# Moving a project to another organisation

An owner of both organisations can transfer a project under **Project settings > Advanced > Transfer**. Build history, secrets and settings move with it; caches do not.
""",
    "delete-account": """# Deleting your account or organisation

You can delete your personal account under **Profile > Account**. To delete an organisation, you must first cancel its paid plan. Deleted data is removed from backups after 30 days.
""",
    "data-location": """# Where your data is stored

Build data is stored in the EU (Frankfurt) or the US (Virginia), chosen when the organisation is created. It cannot be moved later. Build machines run in the same region as your data.
""",
    "status-page": """# Service status

See the current status of Shipyard and past incidents on our status page. Subscribe there to get an email or a text when an incident starts and ends.
""",
    "open-source": """# Open-source projects

Public repositories of open-source projects can apply for the open-source programme: it gives 20,000 build minutes per month on the Free plan and 3 concurrent jobs. Apply from **Organisation settings > Billing**.
""",
    "support": """# Getting help

Free and Team customers can ask the community forum or write to support by email; we answer within 2 business days. Business customers get a response within 8 business hours, Enterprise within 1 hour for urgent issues.
""",
}

QUESTIONS = [
    # plans (near-duplicates)
    Q("how many build minutes on the free plan", "plan-free", "2,000", "near-duplicate"),
    Q("does the free tier need a credit card", "plan-free", "No credit card", "near-duplicate", "paraphrase"),
    Q("how much does the team plan cost", "plan-team", "15 dollars", "near-duplicate", "short"),
    Q("how long are build logs kept on team", "plan-team", "30 days", "near-duplicate"),
    Q("which plan has saml sso", "plan-business", "SAML", "near-duplicate", "short"),
    Q("response time for email support on business", "plan-business", "8 business hours", "near-duplicate"),
    Q("do you have an uptime sla", "plan-enterprise", "99.95%", "near-duplicate", "paraphrase"),
    Q("how many jobs can run at once on the business plan", "plan-business", "20 concurrent jobs", "near-duplicate", "paraphrase"),
    Q("whats the price per seat for buisness", "plan-business", "40 dollars", "near-duplicate", "typo"),
    Q("if I add a seat halfway through the month do I pay for the whole month", "plan-team", "prorated", "near-duplicate", "paraphrase"),
    # refunds (near-duplicates)
    Q("can I get a refund on my monthly subscription", "billing-monthly-refunds", "not refunded", "near-duplicate"),
    Q(
        "we paid for a year two weeks ago and want to cancel, do we get our money back",
        "billing-annual-refunds",
        "full amount",
        "near-duplicate",
        "paraphrase",
    ),
    Q("what happens to my org after I cancel the monthly plan", "billing-monthly-refunds", "Free plan", "near-duplicate"),
    Q(
        "is there a fee when you refund an annual plan after the first month",
        "billing-annual-refunds",
        "10% processing fee",
        "near-duplicate",
    ),
    Q("refund annual", "billing-annual-refunds", "30 days", "near-duplicate", "short"),
    # minutes and concurrency
    Q("we ran out of minutes, what now", "extra-minutes", "8 dollars per 1,000", "paraphrase", "short"),
    Q("why did my mac builds eat all our minutes so quickly", "extra-minutes", "ten times", "paraphrase"),
    Q("how do I cap how much we spend on extra minutes", "extra-minutes", "Usage limits", "paraphrase"),
    Q("how much is an extra concurrent job", "concurrency", "30 dollars", "near-duplicate"),
    Q("what happens to jobs over my concurrency limit", "concurrency", "wait in the queue", "paraphrase"),
    # runners (near-duplicates)
    Q("how much ram do linux runners have", "runners-linux", "16 GB", "near-duplicate", "paraphrase"),
    Q("which ubuntu version do you run", "runners-linux", "22.04", "near-duplicate"),
    Q("is xcode installed on the mac machines", "runners-macos", "Xcode", "near-duplicate", "short"),
    Q("max duration of a macos job", "runners-macos", "2 hours", "near-duplicate"),
    Q(
        "can I run builds on my own servers inside our private network",
        "runners-self-hosted",
        "runner agent",
        "near-duplicate",
        "paraphrase",
    ),
    Q("do self hosted runners use up build minutes", "runners-self-hosted", "do not use build minutes", "near-duplicate"),
    Q("how many self-hosted runners can a team org register", "runners-self-hosted", "up to 5", "near-duplicate"),
    # config (deep)
    Q("what is the config file called", "config-basics", "shipyard.yml", "paraphrase", "short"),
    Q("how do I make one job wait for another", "config-reference", "needs", "deep", "paraphrase"),
    Q("what's the default job timeout", "config-reference", "60 minutes", "deep"),
    Q(
        "my nightly scheduled pipeline stopped running on its own after a couple of months, the repo hasn't changed in a while, is that expected?",
        "config-reference",
        "60 days",
        "deep",
        "long",
    ),
    Q("what timezone do scheduled builds use", "config-reference", "UTC", "deep", "paraphrase"),
    Q("can a step fail without failing the whole job", "config-reference", "continue-on-error", "deep", "paraphrase"),
    Q("maximum timeout for a linux job", "config-reference", "360 minutes", "deep"),
    # caching and artifacts
    Q("how big can the cache get", "caching", "10 GB", "paraphrase"),
    Q("when are old caches removed", "caching", "7 days"),
    Q("how long do you keep build artifacts", "artifacts", "14 days"),
    Q("largest artifact size", "artifacts", "5 GB", "short"),
    Q("are secrets shown in logs", "secrets", "masked"),
    Q("can a pull request from a fork read our secrets", "secrets", "cannot read them", "paraphrase"),
    Q("which built-in environment variable has the branch name", "env-variables", "SHIPYARD_BRANCH", "paraphrase"),
    # integrations (near-duplicates)
    Q("how do I connect github", "github-integration", "Shipyard app", "near-duplicate", "short"),
    Q("how do I build PRs from forks", "github-integration", "Build fork pull requests", "near-duplicate", "paraphrase"),
    Q("which token scope does the gitlab integration need", "gitlab-integration", "api", "near-duplicate"),
    Q("do you support self-managed gitlab", "gitlab-integration", "Business plan", "near-duplicate"),
    Q("does shipyard work with bitbucket server", "bitbucket-integration", "not supported", "near-duplicate"),
    Q("how do I get build results posted in slack", "slack-notifications", "Integrations > Slack", "near-duplicate", "paraphrase"),
    Q("slack only shows failed builds, why", "slack-notifications", "failed builds and fixed builds", "near-duplicate"),
    Q("how do I send build notifications to ms teams", "teams-notifications", "incoming webhook", "near-duplicate", "paraphrase"),
    Q("how do I notify my team when a build breaks", "email-notifications", "gets an email", "near-duplicate", "paraphrase"),
    Q("stop emailing me about every failed build", "email-notifications", "Profile > Notifications", "paraphrase"),
    # deploys
    Q("how do I deploy to k8s", "deploy-kubernetes", "deploy/kubernetes", "paraphrase", "short"),
    Q("what happens if the kubernetes rollout takes too long", "deploy-kubernetes", "10 minutes"),
    Q("can I require someone to approve a production deploy", "deploy-environments", "approval", "paraphrase"),
    Q("how long does a deployment approval request last", "deploy-environments", "7 days"),
    # troubleshooting (deep)
    Q("my build works locally but fails on shipyard", "build-failing", "environment", "deep", "paraphrase"),
    Q("what does exit code 137 mean", "build-failing", "out of memory", "deep"),
    Q("how do I turn on debug logs", "build-failing", "SHIPYARD_DEBUG", "deep", "paraphrase"),
    Q(
        "some of our tests fail randomly on your machines but never on our laptops, it's driving the team crazy, is there anything in shipyard that helps figure out whether it's the tests or you?",
        "build-failing",
        "Rerun failed jobs",
        "deep",
        "long",
    ),
    Q("my build has been queued forever", "build-stuck", "concurrent job slots", "paraphrase"),
    Q("how long does an ssh debug session stay open", "ssh-debug", "30 minutes"),
    Q("who can start an ssh rerun", "ssh-debug", "write access"),
    Q("docker layer caching", "docker-builds", "docker-cache: true", "short"),
    Q("how do I add a build status badge to my readme", "status-badges", "Badges"),
    # API and security
    Q("how do I create an api token", "api-tokens", "Profile > API tokens"),
    Q("my token stopped working, it's been months since I used it", "api-tokens", "90 days", "paraphrase"),
    Q("what's the api rate limit", "api-rate-limits", "5,000 requests per hour"),
    Q("why am I getting 429 errors from the api", "api-rate-limits", "429", "paraphrase"),
    Q("sso?", "sso-saml", "SAML", "short"),
    Q("do you support okta", "sso-saml", "Okta"),
    Q("can I force everyone in the org to use 2fa", "two-factor", "require two-factor", "paraphrase"),
    Q("how long are audit log events kept", "audit-log", "1 year"),
    Q("how long is an invite valid", "org-members", "7 days", "paraphrase"),
    Q("what roles can members have", "org-members", "owners, admins or developers"),
    Q("can I move a repo to a different org and keep the build history", "transfer-project", "Build history", "paraphrase"),
    Q("how do I delete my organization", "delete-account", "cancel its paid plan"),
    Q("can we move our data from the US region to the EU", "data-location", "cannot be moved", "paraphrase"),
    Q("is shipyard down right now", "status-page", "status page", "paraphrase"),
    Q("do you have free minutes for open source", "open-source", "20,000 build minutes", "paraphrase"),
    Q("how quickly does support answer on the team plan", "support", "2 business days"),
    Q("wher do I put secerts", "secrets", "Project settings > Secrets", "typo"),
    Q("artifcat retention days", "artifacts", "retention-days", "typo", "short"),
    Q("how to confgure caching for node modules", "caching", "cache", "typo"),
    Q(
        "hey, we are a small startup with about six engineers, mostly doing iOS apps, and we're trying to figure out whether the cheapest paid plan even lets us build on macs or whether we need to go up a tier",
        "runners-macos",
        "Team plan",
        "near-duplicate",
        "long",
    ),
    # unanswerable
    unanswerable("do you offer on-site training for our developers"),
    unanswerable("how do I cancel my gym membership"),
    unanswerable("can shipyard host my website"),
    unanswerable("do you support windows runners with visual studio"),
    unanswerable("is there a student discount"),
    unanswerable("how do I reset my router"),
    unanswerable("what programming language is shipyard written in"),
    unanswerable("can I pay with a purchase order in yen"),
    unanswerable("who won the football match last night"),
    unanswerable("do you have an office in Tokyo"),
    unanswerable("how do I export my builds to Jenkins"),
]
