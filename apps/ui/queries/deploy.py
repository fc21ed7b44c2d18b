"""Can-i-deploy for people: what the form offers and how the answer reads.

- **Version choices** (5 statements): "latest on branch X" for the application's newest branch
  heads, "the version now in <environment>" for each environment it is deployed to, and its newest
  version numbers, each labelled with its branches, tags, "(latest on main)" and where it is
  deployed now.
- **Defaults**, so a click from an application or contract page lands on an answer: the version is
  the latest on the main branch (else the newest version); the environment is the one last asked
  about (kept in the session), else the production one, else the first.
- **Counterparts**: the answer's rows grouped by the other application of each integration, each
  with what to do next (no statements: it reads the matrix result).

A choice that is not a plain version number is a value starting with `@` (`@branch:main`,
`@deployed:staging`): that is how the one `version` field carries a branch or an environment.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from apps.contracts.models import BranchHead, Pacticipant, Version
from apps.environments.models import CurrentlyDeployedVersion, Environment
from apps.ui.queries.integrations import version_labels

RECENT_VERSIONS = 20
BRANCH_CHOICES = 10
BRANCH_PREFIX = "@branch:"
DEPLOYED_PREFIX = "@deployed:"
SESSION_ENVIRONMENT = "ui.can_i_deploy.environment"


@dataclass
class Choice:
    value: str
    label: str


@dataclass
class VersionChoices:
    branches: list[Choice] = field(default_factory=list)
    deployed: list[Choice] = field(default_factory=list)
    versions: list[Choice] = field(default_factory=list)
    default: str = ""

    @property
    def values(self) -> set[str]:
        return {c.value for c in self.branches + self.deployed + self.versions}


def version_choices(pacticipant_name: str) -> VersionChoices:
    choices = VersionChoices()
    pacticipant = Pacticipant.objects.filter(name=pacticipant_name).only("id", "main_branch").first()
    if pacticipant is None:
        return choices
    heads = list(
        BranchHead.objects.filter(pacticipant=pacticipant)
        .order_by("-version__order")
        .values_list("branch_name", "version_id", "version__number")[:BRANCH_CHOICES]
    )
    main = pacticipant.main_branch
    deployed = list(
        CurrentlyDeployedVersion.objects.filter(pacticipant=pacticipant)
        .order_by("environment__name", "target_for_index")
        .values_list("environment__name", "environment__display_name", "version_id", "version__number")
    )
    versions = list(
        Version.objects.filter(pacticipant=pacticipant).order_by("-order").values_list("id", "number")[:RECENT_VERSIONS]
    )
    branches, tags = version_labels([vid for vid, _ in versions])
    head_of = defaultdict(list)
    for name, vid, _ in heads:
        head_of[vid].append(name)
    where = defaultdict(list)
    for env, display, vid, _ in deployed:
        where[vid].append(display or env)

    heads.sort(key=lambda h: h[0] != main)  # the main branch first
    for name, _, number in heads:
        suffix = " (main branch)" if name == main else ""
        choices.branches.append(Choice(f"{BRANCH_PREFIX}{name}", f"Latest on branch {name}{suffix}: {number}"))
    seen_env = set()
    for env, display, _, number in deployed:
        if env in seen_env:
            continue
        seen_env.add(env)
        choices.deployed.append(Choice(f"{DEPLOYED_PREFIX}{env}", f"The version now in {display or env}: {number}"))
    for vid, number in versions:
        parts = [number]
        parts += [f"⎇ {b}" + (f" (latest on {b})" if b in head_of[vid] else "") for b in branches[vid]]
        parts += [f"# {t}" for t in tags[vid]]
        if where[vid]:
            parts.append("in " + ", ".join(where[vid]))
        choices.versions.append(Choice(number, " · ".join(parts)))
    if main and any(name == main for name, _, _ in heads):
        choices.default = f"{BRANCH_PREFIX}{main}"
    elif versions:
        choices.default = versions[0][1]
    return choices


def environment_default(environments: list[Environment], last_used: str | None) -> str:
    names = [e.name for e in environments]
    if last_used in names:
        return last_used
    production = [e.name for e in environments if e.production]
    if production:
        return production[0]
    return names[0] if names else ""


def version_resolve(pacticipant_name: str, value: str) -> dict:
    """The arguments of `apps.matrix.service.can_i_deploy` that a version choice stands for."""
    if value.startswith(BRANCH_PREFIX):
        return {"branch": value[len(BRANCH_PREFIX) :]}
    if value.startswith(DEPLOYED_PREFIX):
        env = value[len(DEPLOYED_PREFIX) :]
        number = (
            CurrentlyDeployedVersion.objects.filter(pacticipant__name=pacticipant_name, environment__name=env)
            .order_by("-deployed_version__created_at")
            .values_list("version__number", flat=True)
            .first()
        )
        # Nothing deployed there (any more): an empty number makes the matrix say so.
        return {"version": number or f"(none deployed to {env})"}
    return {"version": value}


@dataclass
class Counterpart:
    name: str
    role: str  # "provider" or "consumer": what the counterpart is to the application asked about
    state: str  # success | failed | unverified | missing | ignored | nothing
    rows: list = field(default_factory=list)
    next_step: str = ""


STATE_TEXT = {
    "success": "Verified",
    "failed": "Failed",
    "unverified": "Not verified yet",
    "missing": "No pact verified with the version there",
    "ignored": "Ignored",
    "nothing": "Nothing to check",
}


def _next_step(c: Counterpart, application: str, environment: str, deployed: dict[str, list[str]]) -> str:
    rows = [r for r in c.rows if not r.ignored]
    if c.state == "success":
        return "Nothing to do."
    if c.state == "nothing":
        return f"No version of {c.name} there depends on this one."
    if c.state == "ignored":
        return "Ignored as asked: this integration does not decide the answer."
    if c.state == "failed":
        failed = next(r for r in rows if r.success is False)
        return (
            f"{failed.provider_name} {failed.provider_version_number} failed to verify the pact of "
            f"{failed.consumer_name} {failed.consumer_version_number}: open the verification result, fix the "
            f"{'provider' if c.role == 'provider' else 'consumer'} or the pact, then verify again."
        )
    if c.state == "unverified":
        row = rows[0]
        where = f" in {environment}" if environment else ""
        if c.role == "provider" and environment and not deployed.get(c.name):
            return (
                f"No version of {c.name} is recorded{where}: deploy {c.name} there first (record the deployment), "
                f"or have a version that is there verify the pact of {row.consumer_name} {row.consumer_version_number}."
            )
        versions = ", ".join(deployed.get(c.name, [])) if c.role == "provider" else ""
        return (
            f"Run {row.provider_name}{' ' + versions if versions else ''}'s provider verification against the pact "
            f"of {row.consumer_name} {row.consumer_version_number} and publish the results (a webhook can start "
            "it on every changed pact)."
        )
    where = f" in {environment}" if environment else ""
    if c.role == "provider":
        return (
            f"No version of {c.name}{where} has verified a pact of this {application} version: have "
            f"{c.name} verify it (a webhook can start its build), or deploy a {c.name} version that did."
        )
    return f"The {c.name} version{where} has no verified pact with this {application} version: verify it first."


def counterparts(result, application: str, environment: str = "") -> list[Counterpart]:
    """The matrix answer's rows grouped by the other application of each integration; the ones
    that block the deployment first."""
    found: dict[str, Counterpart] = {}
    deployed: dict[str, list[str]] = defaultdict(list)  # the other applications' versions asked about
    for selector in result.inferred:
        if selector.version_number:
            deployed[selector.pacticipant_name].append(selector.version_number)
    for integration in result.integrations:
        if integration.consumer_name == application:
            name, role = integration.provider_name, "provider"
        else:
            name, role = integration.consumer_name, "consumer"
        found.setdefault(name, Counterpart(name, role, "missing" if integration.required else "nothing"))
    for row in result.rows:
        if row.consumer_name == application:
            name, role = row.provider_name, "provider"
        else:
            name, role = row.consumer_name, "consumer"
        found.setdefault(name, Counterpart(name, role, "missing")).rows.append(row)
    order = {"failed": 0, "unverified": 1, "missing": 2, "ignored": 3, "success": 4, "nothing": 5}
    for c in found.values():
        considered = [r for r in c.rows if not r.ignored]
        if c.rows and not considered:
            c.state = "ignored"
        elif any(r.success is False for r in considered):
            c.state = "failed"
        elif any(r.success is None for r in considered):
            c.state = "unverified"
        elif considered:
            c.state = "success"
        c.next_step = _next_step(c, application, environment, deployed)
    return sorted(found.values(), key=lambda c: (order[c.state], c.name.lower()))
