"""The texts of a verifiable pact: shortDescription and notices (`VerifiablePactMessages` in the Ruby broker).

Pact clients print the notices verbatim and Pact Go names its tests after shortDescription, so the
wording, punctuation and ordering are the broker's own. Selectors are sorted the broker's way
(`Selector#<=>`) before they are described.
"""

from functools import cmp_to_key

from apps.pacts_for_verification.selection import SelectorMatch

READ_MORE_PENDING = "Read more at https://docs.pact.io/go/pending"
READ_MORE_WIP = "Read more at https://docs.pact.io/go/wip"
DEPRECATED_GET_NOTICE = (
    "WARNING - Please upgrade your Pact library. The GET method for retrieving pacts for verification is "
    "deprecated and will be removed in a future release. Please use the POST method instead."
)


def _cmp(a, b) -> int:
    return (a > b) - (a < b)


def _selector_cmp(x: SelectorMatch, y: SelectorMatch) -> int:
    a, b = x.selector, y.selector
    result = 0
    if a.overall_latest or b.overall_latest:
        result = 0 if a.overall_latest == b.overall_latest else (-1 if a.overall_latest else 1)
    elif a.latest_for_branch or b.latest_for_branch:
        result = (
            _cmp(a.branch, b.branch)
            if a.latest_for_branch == b.latest_for_branch
            else (-1 if a.latest_for_branch else 1)
        )
    elif a.latest_for_tag or b.latest_for_tag:
        result = _cmp(a.tag, b.tag) if a.latest_for_tag == b.latest_for_tag else (-1 if a.latest_for_tag else 1)
    elif a.tag or b.tag:
        if a.tag and b.tag:
            result = _cmp(a.tag, b.tag) if a.tag != b.tag else _consumer_cmp(a, b)
        else:
            result = -1 if a.tag else 1
    elif a.deployed or b.deployed:
        result = _environment_cmp(x, y) if a.deployed == b.deployed else (-1 if a.deployed else 1)
    elif a.released or b.released:
        result = _environment_cmp(x, y) if a.released == b.released else (-1 if a.released else 1)
    elif a.consumer or b.consumer:
        result = _consumer_cmp(a, b)
    return result or _cmp(x.consumer_version_order, y.consumer_version_order)


def _consumer_cmp(a, b) -> int:
    if a.consumer and b.consumer:
        return _cmp(a.consumer, b.consumer)
    if not a.consumer and not b.consumer:
        return 0
    return -1 if a.consumer else 1


def _environment_cmp(x: SelectorMatch, y: SelectorMatch) -> int:
    ex, ey = x.environment, y.environment
    if ex is None or ey is None:
        return 0
    if ex.production == ey.production:
        return _cmp(ex.environment_name, ey.environment_name)
    return 1 if ex.production else -1  # non-production environments first


def sort_selectors(selectors: list[SelectorMatch]) -> list[SelectorMatch]:
    return sorted(selectors, key=cmp_to_key(_selector_cmp))


def _type(s: SelectorMatch) -> str:
    sel = s.selector
    if sel.main_branch:
        return "latest_for_main_branch"
    if sel.latest_for_each_branch:
        return "latest_for_each_branch"
    if sel.latest_for_branch:
        return "latest_for_branch"
    if sel.deployed:
        return "currently_deployed"
    if sel.released:
        return "currently_supported"
    if sel.environment:
        return "in_environment"
    if sel.latest_for_tag:
        return "latest_for_tag"
    if sel.all_for_tag:
        return "all_for_tag"
    if sel.overall_latest:
        return "overall_latest"
    return "undefined"


def _branch(s: SelectorMatch) -> str | None:
    return s.resolved_branch if s.selector.branch is True else s.selector.branch


def join_unquoted(items: list[str], last_joiner: str = " and ") -> str:
    if len(items) > 2:
        return f"{', '.join(items[:-2])}, {last_joiner.join(items[-2:])}"
    return last_joiner.join(items)


def join(items: list[str]) -> str:
    return join_unquoted([f"'{item}'" for item in items])


def pluralize(word: str, count: int) -> str:
    return word if count == 1 else f"{word}s"


class VerifiablePactMessages:
    def __init__(self, pact, pact_version_url: str | None):
        self.pact = pact
        self.url = pact_version_url
        self.selectors = pact.selectors

    # --- descriptions of the selectors ---
    def head_consumer_tags(self) -> list[str]:
        return list(dict.fromkeys(s.selector.tag for s in self.selectors if s.selector.latest_for_tag))

    def branches(self) -> list[str]:
        return list(
            dict.fromkeys(
                _branch(s)
                for s in self.selectors
                if s.selector.latest_for_branch or (s.selector.latest_for_each_branch and s.resolved_branch)
            )
        )

    def short_description(self) -> str:
        return ", ".join(self._short(s) for s in self.selectors)

    def _short(self, s: SelectorMatch) -> str:
        sel = s.selector
        if sel.overall_latest:
            return "latest"
        if sel.main_branch:
            return "latest from main branch"
        if sel.latest_for_tag:
            return f"latest with tag {sel.fallback_tag or sel.tag}"
        if sel.latest_for_branch or sel.latest_for_each_branch:
            return f"latest from branch {sel.fallback_branch or _branch(s)}"
        if sel.all_for_tag and sel.consumer:
            return f"one of {sel.consumer} {sel.tag}"
        if sel.tag:
            return f"one of {sel.tag}"
        if sel.deployed:
            return f"deployed to {s.environment.environment_name}"
        if sel.released:
            return f"released in {s.environment.environment_name}"
        if sel.environment:
            return f"in environment {s.environment.environment_name}"
        return "unknown"

    def _description(self, s: SelectorMatch) -> str:
        sel, provider = s.selector, self.pact.provider_name
        version_label = f"version of {sel.consumer}" if sel.consumer else "version"
        if sel.overall_latest:
            text = f"latest version of {sel.consumer or 'a consumer'} that has a pact with {provider}"
        elif sel.main_branch:
            text = f"latest {version_label} from the main branch"
        elif sel.latest_for_tag:
            text = (
                f"latest {version_label} tagged '{sel.fallback_tag}' (fallback tag used as no pact was found "
                f"with tag '{sel.tag}')"
                if sel.fallback_tag
                else f"latest {version_label} tagged '{sel.tag}'"
            )
        elif sel.latest_for_branch or sel.latest_for_each_branch:
            text = f"latest {version_label} from branch '{_branch(s)}'"
        elif sel.all_for_tag and sel.consumer:
            text = f"all {sel.consumer} versions tagged '{sel.tag}'"
        elif sel.all_for_tag:
            text = f"all consumer versions tagged '{sel.tag}'"
        elif sel.environment and not sel.deployed and not sel.released:
            text = f"{sel.consumer or 'a consumer'} version in environment {s.environment.environment_name}"
        else:
            text = "unknown"
        return f"{text} ({s.consumer_version_number})"

    def _environment_descriptions(self, group: list[SelectorMatch], verb: str) -> list[str]:
        by_consumer: dict = {}
        for s in group:
            by_consumer.setdefault(s.selector.consumer, []).append(s)
        lines = []
        for consumer, selectors in by_consumer.items():
            label = f"version(s) of {consumer}" if consumer else "consumer version(s)"
            where = [f"{s.environment.environment_name} ({s.consumer_version_number})" for s in selectors]
            lines.append(f"{label} {verb} {join_unquoted(where)}")
        return lines

    def selector_descriptions(self) -> str:
        groups: dict[str, list] = {}
        for s in self.selectors:
            groups.setdefault(_type(s), []).append(s)
        lines = []
        for kind, group in groups.items():
            if kind == "currently_deployed":
                lines += self._environment_descriptions(group, "currently deployed to")
            elif kind == "currently_supported":
                lines += self._environment_descriptions(group, "released and supported in")
            else:
                lines += [self._description(s) for s in group]
        return "\n".join(f"    * {line}" for line in lines)

    def _same_content_note(self) -> str:
        return {1: ""}.get(
            len(self.selectors),
            " (both have the same content)" if len(self.selectors) == 2 else " (all have the same content)",
        )

    def inclusion_reason(self) -> str:
        p = self.pact
        if p.wip:
            tags, branches = self.head_consumer_tags(), self.branches()
            version_text = "version" if len(tags) == 1 or len(branches) == 1 else "versions"
            parts = []
            if branches:
                parts.append(f"from {'branch' if len(branches) == 1 else 'branches'} {join(branches)}")
            if tags:
                parts.append(f"tagged with {join(tags)}")
            joined = " and ".join(parts) + self._same_content_note()
            return (
                f"The pact at {self.url} is being verified because it is a 'work in progress' pact (ie. it is "
                f"the pact for the latest {version_text} of {p.consumer_name} {joined} and is still in pending "
                f"state). {READ_MORE_WIP}"
            )
        count = len(self.selectors)
        return (
            f"The pact at {self.url} is being verified because the pact content belongs to "
            f"{pluralize('the consumer version', count)} matching the following "
            f"{'criteria' if count > 1 else 'criterion'}:\n{self.selector_descriptions()}"
        )

    # --- pending ---
    def _pending_description(self, any_or_a: str = "any") -> str:
        p = self.pact
        if p.provider_branch:
            return f"{any_or_a} version of {p.provider_name} from branch '{p.provider_branch}'"
        tags = p.pending_provider_tags
        if not tags:
            return p.provider_name
        if len(tags) == 1:
            return f"{any_or_a} version of {p.provider_name} with tag '{tags[0]}'"
        return f"{any_or_a} versions of {p.provider_name} with tag {join(tags)}"

    def _non_pending_description(self) -> str:
        p = self.pact
        if p.provider_branch:
            return f"a version of {p.provider_name} from branch '{p.provider_branch}'"
        tags = p.non_pending_provider_tags
        if not tags:
            return p.provider_name
        if len(tags) == 1:
            return f"a version of {p.provider_name} with tag '{tags[0]}'"
        return f"a version of {p.provider_name} with tag {join(tags)}"

    def _with_these_tags(self) -> str:
        return {0: "", 1: "with this tag "}.get(len(self.pact.pending_provider_tags), "with these tags ")

    def pending_reason(self) -> str:
        p = self.pact
        if p.pending:
            return (
                f"This pact is in pending state for this version of {p.provider_name} because a successful "
                f"verification result for {self._pending_description('a')} has not yet been published. If "
                f"this verification fails, it will not cause the overall build to fail. {READ_MORE_PENDING}"
            )
        return (
            f"This pact has previously been successfully verified by {self._non_pending_description()}. If "
            f"this verification fails, it will fail the build. {READ_MORE_PENDING}"
        )

    def after_verification(self) -> list[tuple[str, str]]:
        """The four `after_verification:*` notices, only for a pending pact."""
        if not self.pact.pending:
            return []
        desc, tags, provider = self._pending_description(), self._with_these_tags(), self.pact.provider_name
        still_pending = (
            f"This pact is still in pending state for {desc} as a successful verification result "
            f"{tags}has not yet been published"
        )
        return [
            (
                "after_verification:success_true_published_false",
                f"This pact is still in pending state for {desc} as the successful verification results {tags}have "
                f"not yet been published.",
            ),
            ("after_verification:success_false_published_false", still_pending),
            (
                "after_verification:success_true_published_true",
                f"This pact is no longer in pending state for {desc}, as a successful verification result {tags}has "
                f"been published. If a verification for a version of {provider} {tags}fails in the future, it will "
                f"fail the build. {READ_MORE_PENDING}",
            ),
            ("after_verification:success_false_published_true", still_pending),
        ]


def notices(pact, pact_url: str, *, include_pending_status: bool, deprecated_get: bool = False) -> list[dict]:
    messages = VerifiablePactMessages(pact, pact_url)
    result = []
    if deprecated_get:
        result.append({"when": "before_verification", "text": DEPRECATED_GET_NOTICE})
    result.append({"when": "before_verification", "text": messages.inclusion_reason()})
    if include_pending_status:
        result.append({"when": "before_verification", "text": messages.pending_reason()})
        result += [{"when": when, "text": text} for when, text in messages.after_verification()]
    return result
