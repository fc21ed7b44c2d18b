"""The Helm chart (deploy/helm/contract-broker) renders to valid Kubernetes manifests of the right shape.

No `helm`/`kubeconform` installs from the registries we reach, so the chart is rendered by
tests/deploy/helm_render.py (the Go-template subset it uses) and every core manifest is validated
against the Kubernetes OpenAPI schemas by `kubernetes-validate` (strict: unknown fields fail).
"""

from pathlib import Path

import kubernetes_validate
import pytest

from tests.deploy.helm_render import render_chart

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "contract-broker"
KUBERNETES = "1.30.0"
EVERYTHING_ON = {
    "ingress": {"enabled": True, "className": "nginx"},
    "metrics": {"serviceMonitor": {"enabled": True}},
    "otel": {"endpoint": "http://otel:4318"},
}


def by_name(documents: list[dict]) -> dict[tuple[str, str], dict]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in documents}


@pytest.fixture(scope="module")
def manifests():
    return by_name(render_chart(CHART, EVERYTHING_ON))


def container(manifests, kind: str, name: str) -> dict:
    spec = manifests[(kind, name)]["spec"]["template"]["spec"]
    [only] = spec["containers"]
    return only


@pytest.mark.parametrize(
    "overrides",
    [{}, EVERYTHING_ON, {"web": {"autoscaling": {"enabled": False}}, "worker": {"autoscaling": {"enabled": False}}}],
)
def test_every_core_manifest_is_valid_against_the_kubernetes_schemas(overrides):
    documents = render_chart(CHART, overrides)

    for document in documents:
        if document["apiVersion"].startswith("monitoring.coreos.com"):
            continue  # a CRD (prometheus-operator): not in the core schemas
        kubernetes_validate.validate(document, KUBERNETES, strict=True)
    assert len({(d["kind"], d["metadata"]["name"]) for d in documents}) == len(documents)


def test_the_chart_has_web_worker_beat_migrations_autoscaling_and_disruption_budgets(manifests):
    assert set(manifests) == {
        ("ConfigMap", "broker-contract-broker"),
        ("Deployment", "broker-contract-broker-web"),
        ("Service", "broker-contract-broker-web"),
        ("Deployment", "broker-contract-broker-worker"),
        ("Service", "broker-contract-broker-worker-metrics"),
        ("NetworkPolicy", "broker-contract-broker-worker-metrics"),
        ("Deployment", "broker-contract-broker-beat"),
        ("Job", "broker-contract-broker-migrate"),
        ("HorizontalPodAutoscaler", "broker-contract-broker-web"),
        ("HorizontalPodAutoscaler", "broker-contract-broker-worker"),
        ("PodDisruptionBudget", "broker-contract-broker-web"),
        ("PodDisruptionBudget", "broker-contract-broker-worker"),
        ("Ingress", "broker-contract-broker"),
        ("ServiceMonitor", "broker-contract-broker"),
    }


def test_optional_parts_are_off_by_default():
    kinds = {doc["kind"] for doc in render_chart(CHART)}

    assert "Ingress" not in kinds and "ServiceMonitor" not in kinds


def test_migrations_run_as_a_hook_before_install_and_upgrade(manifests):
    job = manifests[("Job", "broker-contract-broker-migrate")]

    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert "before-hook-creation" in job["metadata"]["annotations"]["helm.sh/hook-delete-policy"]
    assert container(manifests, "Job", "broker-contract-broker-migrate")["command"] == [
        "python",
        "manage.py",
        "migrate_schemas",
        "--noinput",
        "--executor=multiprocessing",
    ]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_behind_pgbouncer_the_pods_pool_per_transaction_and_migrations_connect_directly():
    pooled = by_name(render_chart(CHART, {"database": {"pooler": "transaction"}}))
    migrate = container(pooled, "Job", "broker-contract-broker-migrate")

    assert pooled[("ConfigMap", "broker-contract-broker")]["data"]["DATABASE_POOLER"] == "transaction"
    assert {
        "name": "DATABASE_URL",
        "valueFrom": {"secretKeyRef": {"name": "broker-env", "key": "DATABASE_DIRECT_URL"}},
    } in migrate["env"]
    for document in pooled.values():
        if not document["apiVersion"].startswith("monitoring.coreos.com"):
            kubernetes_validate.validate(document, KUBERNETES, strict=True)
    default = by_name(render_chart(CHART))
    assert "DATABASE_POOLER" not in default[("ConfigMap", "broker-contract-broker")]["data"]
    default_migrate = container(default, "Job", "broker-contract-broker-migrate")
    assert all(item["name"] != "DATABASE_URL" for item in default_migrate["env"])


@pytest.mark.parametrize(
    "kind, name",
    [
        ("Deployment", "broker-contract-broker-web"),
        ("Deployment", "broker-contract-broker-worker"),
        ("Deployment", "broker-contract-broker-beat"),
        ("Job", "broker-contract-broker-migrate"),
    ],
)
def test_every_pod_takes_its_secrets_from_the_existing_secret_and_requests_resources(manifests, kind, name):
    pod = container(manifests, kind, name)

    assert {"secretRef": {"name": "broker-env"}} in pod["envFrom"]
    assert set(pod["resources"]["requests"]) == {"cpu", "memory"}
    assert pod["image"] == "contract-broker:0.1.0"
    assert manifests[(kind, name)]["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True


def test_web_is_probed_on_the_health_endpoints_and_rolls_without_losing_capacity(manifests):
    web = container(manifests, "Deployment", "broker-contract-broker-web")

    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert (
        manifests[("Deployment", "broker-contract-broker-web")]["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"]
        == 0
    )


def test_beat_runs_exactly_once(manifests):
    beat = manifests[("Deployment", "broker-contract-broker-beat")]["spec"]

    assert beat["replicas"] == 1 and beat["strategy"] == {"type": "Recreate"}
    assert ("HorizontalPodAutoscaler", "broker-contract-broker-beat") not in manifests


@pytest.mark.parametrize("component", ["web", "worker"])
def test_autoscalers_and_disruption_budgets_select_their_own_pods(manifests, component):
    name = f"broker-contract-broker-{component}"
    deployment = manifests[("Deployment", name)]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]

    hpa = manifests[("HorizontalPodAutoscaler", name)]["spec"]
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
    assert "replicas" not in deployment["spec"]  # the autoscaler owns it
    selector = manifests[("PodDisruptionBudget", name)]["spec"]["selector"]["matchLabels"]
    assert selector.items() <= pod_labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()


def test_the_metrics_are_scraped_with_the_token_from_the_existing_secret(manifests):
    monitor = manifests[("ServiceMonitor", "broker-contract-broker")]["spec"]
    web, workers = monitor["endpoints"]

    assert web["path"] == "/-/metrics"
    assert web["authorization"]["credentials"] == {"name": "broker-env", "key": "METRICS_TOKEN"}
    assert workers["port"] == "metrics"
    policy = manifests[("NetworkPolicy", "broker-contract-broker-worker-metrics")]["spec"]
    assert policy["ingress"][0]["ports"] == [{"port": 9808}]


def test_the_commands_the_chart_runs_exist_in_the_image():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()

    assert "COPY . ." in dockerfile and "deploy/gunicorn.conf.py" in dockerfile
    assert (ROOT / "manage.py").exists() and (ROOT / "config" / "celery.py").exists()
    assert "postgresql-client" in dockerfile  # org_backup / org_restore run pg_dump and psql
