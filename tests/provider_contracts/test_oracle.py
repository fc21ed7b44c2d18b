"""Our comparison agrees with PactFlow's (the pinned npm package) on every pair of the corpus.

Verdicts are compared per pact and per interaction; the only differences allowed are the ones
listed, with a reason, in corpus/expected_disagreements.yaml. The npm package is installed by
`make deps` (tools/openapi-comparator, `npm ci`).
"""

import pytest

from tests.provider_contracts import oracle


@pytest.fixture(scope="module")
def verdicts():
    batch = oracle.pairs()
    return batch, oracle.oracle_verdicts(batch), oracle.our_verdicts(batch)


def test_the_corpus_has_at_least_60_pairs_from_pactflow_and_our_own():
    names = [pair.name for pair in oracle.pairs()]
    assert len(names) >= 60
    assert sum(n.startswith("pactflow/") for n in names) >= 40
    assert sum(n.startswith("ours/") for n in names) >= 20


def test_pactflows_comparator_judges_every_pair_and_finds_both_verdicts(verdicts):
    batch, theirs, _ = verdicts
    assert set(theirs) == {pair.name for pair in batch}
    whole = [verdict[oracle.WHOLE] for verdict in theirs.values()]
    assert whole.count("compatible") >= 15 and whole.count("incompatible") >= 30
    assert sum(len(verdict) - 1 for verdict in theirs.values()) >= 350  # interaction-level verdicts


def test_our_verdicts_are_pactflows_except_the_listed_disagreements(verdicts):
    _, theirs, ours = verdicts
    found = oracle.disagreements(ours, theirs)
    listed = {key: entry["ours"] for key, entry in oracle.expected_disagreements().items()}
    unexpected = {key: value for key, value in found.items() if listed.get(key) != value}
    vanished = {key: value for key, value in listed.items() if key not in found}
    assert unexpected == {}, "new disagreements with PactFlow: fix them or argue them in expected_disagreements.yaml"
    assert vanished == {}, "listed disagreements that no longer happen: remove them from expected_disagreements.yaml"


def test_each_listed_disagreement_states_both_verdicts_and_a_reason(verdicts):
    _, theirs, _ = verdicts
    for (pair, interaction), entry in oracle.expected_disagreements().items():
        key = int(interaction) if interaction.isdigit() else interaction
        assert entry["pactflow"] == theirs[pair][key], (pair, interaction)
        assert entry["ours"] != entry["pactflow"]
        assert len(entry["reason"].split()) >= 20, (pair, interaction)


def test_a_pair_pactflow_cannot_read_is_incompatible_for_both(verdicts):
    _, theirs, ours = verdicts
    for name in ("ours/unparsable-description", "ours/not-openapi", "ours/broken-pact"):
        assert theirs[name] == {oracle.WHOLE: "incompatible"}
        assert ours[name] == {oracle.WHOLE: "incompatible"}
