"""The Kubernetes manifests (deploy/kubernetes/), checked without a cluster:
each overlay rendered by kubectl's kustomize, validated strictly against the Kubernetes
schemas, and held to what docs/kubernetes.md promises. The kind job of the GitHub workflow
applies them to a real cluster (make kind-up, make kind-drill).
"""

import base64
import math
import os
import re
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

from tests.support.daemons import BASE_DIR
from tests.support.manifests import (
    KUBERNETES,
    OVERLAYS,
    kubectl,
    objects,
    one,
    rendered,
    site_config,
    web_container,
)

SCHEMA_VERSION = "1.33.0"  # the oldest Kubernetes these manifests are for (docs/kubernetes.md)
# No package reachable here ships the Gateway API's schemas: the HTTPRoute is checked field by
# field below; the GitHub workflow's kind job installs the Gateway API's CRDs and has the
# cluster validate the production overlay (a server-side dry run).
WITHOUT_SCHEMA = {("gateway.networking.k8s.io/v1", "HTTPRoute")}
SITE_CONTAINERS = {"web", "wait-for-migrations", "migrate"}
# Variables of the process, not of the site: docs/kubernetes.md says why each is set.
PROCESS_VARIABLES = {"XDG_RUNTIME_DIR"}


def pod_templates(overlay):
    """``(workload, pod spec, pod labels)`` of every workload."""
    for kind in ("Deployment", "StatefulSet", "Job"):
        for workload in objects(overlay, kind):
            template = workload["spec"]["template"]
            yield workload, template["spec"], template["metadata"]["labels"]


def containers(pod):
    return [*pod.get("initContainers", []), *pod["containers"]]


def selects(selector, labels):
    """Whether a label selector (matchLabels, matchExpressions In) selects ``labels``."""
    if any(labels.get(key) != value for key, value in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        assert expression["operator"] == "In", expression  # the only one used here
        if labels.get(expression["key"]) not in expression["values"]:
            return False
    return True


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_overlay_renders_and_validates_strictly(overlay):
    checked = 0
    for obj in rendered(overlay):
        if (obj["apiVersion"], obj["kind"]) in WITHOUT_SCHEMA:
            continue
        # Raises ValidationError on any unknown or misplaced field (strict).
        kubernetes_validate.validate(obj, SCHEMA_VERSION, strict=True)
        checked += 1
    assert checked >= 16


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_runs_restricted(overlay):
    """The Pod Security Standards' "restricted" profile, for every container."""
    for workload, pod, _labels in pod_templates(overlay):
        name = workload["metadata"]["name"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] > 0, name
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["automountServiceAccountToken"] is False, name
        for container in containers(pod):
            assert container["securityContext"] == {
                "allowPrivilegeEscalation": False,
                "readOnlyRootFilesystem": True,
                "capabilities": {"drop": ["ALL"]},
            }, (name, container["name"])
            resources = container["resources"]
            assert resources["requests"], (name, container["name"])
            assert resources["limits"], (name, container["name"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_image_is_pinned(overlay):
    for workload, pod, _labels in pod_templates(overlay):
        for container in containers(pod):
            image = container["image"]
            tag = image.rpartition(":")[2] if ":" in image.rpartition("/")[2] else ""
            assert tag not in ("", "latest"), (workload["metadata"]["name"], image)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_web_replicas_are_probed_drained_spread_and_scaled(overlay):
    web = one(overlay, "Deployment", "web")
    pod = web["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    pause = container["lifecycle"]["preStop"]["exec"]["command"]
    assert pause[0] == "sleep"
    graceful_timeout = 30  # gunicorn.conf.py
    assert pod["terminationGracePeriodSeconds"] > int(pause[1]) + graceful_timeout
    [spread] = pod["topologySpreadConstraints"]
    assert spread["topologyKey"] == "kubernetes.io/hostname"
    assert selects(spread["labelSelector"], web["spec"]["template"]["metadata"]["labels"])
    # A memcached pod that is away costs a lookup of one second, not ten.
    assert pod["dnsConfig"]["options"] == [
        {"name": "timeout", "value": "1"},
        {"name": "attempts", "value": "1"},
    ]
    # Each replica can be read by the pod: the Secret's files belong to its group.
    assert pod["securityContext"]["fsGroup"] == pod["securityContext"]["runAsGroup"]
    # Replicas never migrate; they wait for the Job.
    [wait] = pod["initContainers"]
    assert "migrate --check" in wait["command"][-1]
    assert "migrate --noinput" not in " ".join(container.get("command", []))
    if overlay == "kind":  # no metrics server: an autoscaler would only log that
        assert objects(overlay, "HorizontalPodAutoscaler") == []
    else:
        hpa = one(overlay, "HorizontalPodAutoscaler", "web")
        assert hpa["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": "web",
        }
        assert hpa["spec"]["minReplicas"] >= 2
    pdb = one(overlay, "PodDisruptionBudget", "web")
    assert selects(pdb["spec"]["selector"], web["spec"]["template"]["metadata"]["labels"])
    annotations = web["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/path"] == "/metrics"
    assert annotations["prometheus.io/port"] == str(container["ports"][0]["containerPort"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_web_pods_run_two_workers_per_cpu_of_their_limit_plus_one(overlay):
    """Without WEB_CONCURRENCY gunicorn counted the node's CPUs (a 32-core node: 65 workers in a pod
    sized for 3). The memory limit holds this many: tests/served/test_sizing.py."""
    workers = int(site_config(overlay)["WEB_CONCURRENCY"])
    cpu = web_container(overlay)["resources"]["limits"]["cpu"]
    assert workers == 2 * math.ceil(float(cpu)) + 1


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_release_step_runs_once_in_a_job_after_the_deployment_checks(overlay):
    job = one(overlay, "Job", "migrate")
    [container] = job["spec"]["template"]["spec"]["containers"]
    # check --deploy, migrate, each app's steps: project/management/commands/release.py.
    assert container["command"] == ["python", "manage.py", "release", "--deploy"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def config(overlay):
    return site_config(overlay)


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("cluster", ["objects", "sessions"])
def test_each_memcached_list_names_its_statefulsets_pods(overlay, cluster):
    statefulset = one(overlay, "StatefulSet", f"memcached-{cluster}")
    service = one(overlay, "Service", statefulset["spec"]["serviceName"])
    assert service["spec"]["clusterIP"] == "None"  # headless: each pod's own name
    replicas = statefulset["spec"]["replicas"]
    assert replicas >= 2
    [port] = statefulset["spec"]["template"]["spec"]["containers"][0]["ports"]
    expected = [
        f"memcached-{cluster}-{n}.{service['metadata']['name']}:{port['containerPort']}"
        for n in range(replicas)
    ]
    assert config(overlay)[f"MEMCACHED_{cluster.upper()}"].split(",") == expected
    pdb = one(overlay, "PodDisruptionBudget", f"memcached-{cluster}")
    assert selects(pdb["spec"]["selector"], statefulset["spec"]["template"]["metadata"]["labels"])
    args = statefulset["spec"]["template"]["spec"]["containers"][0]["args"]
    assert ("--disable-evictions" in args) == (cluster == "sessions")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_memcached_and_the_database_take_connections_from_the_site_only(overlay):
    pods = {
        workload["metadata"]["name"]: labels for workload, _pod, labels in pod_templates(overlay)
    }
    policies = {policy["metadata"]["name"]: policy for policy in objects(overlay, "NetworkPolicy")}
    guarded = [
        name for name in ("memcached-objects", "memcached-sessions", "postgres") if name in pods
    ]
    for name in guarded:
        policy = policies[name]
        assert [
            p for p, labels in pods.items() if selects(policy["spec"]["podSelector"], labels)
        ] == [name]
        [rule] = policy["spec"]["ingress"]
        [source] = rule["from"]
        allowed = sorted(p for p, labels in pods.items() if selects(source["podSelector"], labels))
        assert allowed == ["migrate", "web"], (name, allowed)
    # Every pod of the site is under some policy.
    for name, labels in pods.items():
        assert any(selects(p["spec"]["podSelector"], labels) for p in policies.values()), name


def documented_variables():
    """The names in the first cell of docs/deployment.md's table rows: its variables."""
    text = (BASE_DIR / "docs" / "deployment.md").read_text()
    cells = re.findall(r"^\| ([^|]+)\|", text, re.MULTILINE)
    return {name for cell in cells for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_variable_of_the_site_is_documented(overlay):
    documented = documented_variables()
    kubernetes_doc = (BASE_DIR / "docs" / "kubernetes.md").read_text()
    names = set(config(overlay))
    for _workload, pod, _labels in pod_templates(overlay):
        for container in containers(pod):
            if container["name"] in SITE_CONTAINERS:
                names |= {variable["name"] for variable in container.get("env", [])}
    for name in sorted(names):
        if name in PROCESS_VARIABLES:
            assert f"`{name}`" in kubernetes_doc, name
            continue
        assert name.removesuffix("_FILE") in documented, name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_come_from_a_mounted_secret_read_through_file_variables(overlay):
    secrets = {obj["metadata"]["name"] for obj in objects(overlay, "Secret")}
    for _workload, pod, _labels in pod_templates(overlay):
        for volume in pod.get("volumes", []):
            if "secret" in volume:
                name = volume["secret"]["secretName"]
                # Production: the operator's Secret; kind: the overlay's generator.
                assert name in secrets if overlay == "kind" else name == "site-secrets"
    assert (secrets == set()) == (overlay == "production")
    web = one(overlay, "Deployment", "web")["spec"]["template"]["spec"]["containers"][0]
    variables = {variable["name"]: variable.get("value") for variable in web["env"]}
    assert variables["DJANGO_SECRET_KEY_FILE"] == "/secrets/secret_key"
    assert variables["DATABASE_URL_FILE"] == "/secrets/database_url"
    assert not {"DJANGO_SECRET_KEY", "DATABASE_URL"} & set(config(overlay))


def test_the_route_sends_the_sites_host_to_the_web_service():
    route = one("production", "HTTPRoute", "web")
    assert route["apiVersion"] == "gateway.networking.k8s.io/v1"
    assert route["spec"]["parentRefs"]
    assert all(ref["name"] for ref in route["spec"]["parentRefs"])
    # One host name, from DJANGO_SITE_URL (the overlay's replacements).
    assert route["spec"]["hostnames"] == [
        urlsplit(config("production")["DJANGO_SITE_URL"]).hostname
    ]
    web = one("production", "Service", "web")
    backends = [ref for rule in route["spec"]["rules"] for ref in rule.get("backendRefs", [])]
    assert backends == [{"name": web["metadata"]["name"], "port": web["spec"]["ports"][0]["port"]}]
    refused = [
        match["path"]["value"]
        for rule in route["spec"]["rules"]
        if "filters" in rule
        for match in rule["matches"]
    ]
    assert sorted(refused) == ["/healthz", "/metrics", "/readyz"]
    assert objects("kind", "HTTPRoute") == []  # kind has no Gateway: web-nodeport instead


def test_each_overlay_names_its_host_once_in_the_site_url():
    """The allowed host and the trusted origin follow DJANGO_SITE_URL (project/settings.py):
    the host was written four times."""
    for overlay in OVERLAYS:
        data = config(overlay)
        assert re.fullmatch(r"https?://[^/]+", data["DJANGO_SITE_URL"]), overlay
        assert "DJANGO_ALLOWED_HOSTS" not in data, overlay
        assert "DJANGO_CSRF_TRUSTED_ORIGINS" not in data, overlay
        assert data["DJANGO_HTTPS"] == ("true" if overlay == "production" else "false")


def test_the_overlays_set_values_by_merging_into_bases_generator_not_by_patches():
    for overlay in OVERLAYS:
        text = (KUBERNETES / "overlays" / overlay / "kustomization.yaml").read_text()
        [generator] = yaml.safe_load(text)["configMapGenerator"]
        assert (generator["name"], generator["behavior"]) == ("site-config", "merge")
        assert "/data/" not in text  # no JSON patch of the ConfigMap's values
    assert not (KUBERNETES / "base" / "config.yaml").exists()


def test_a_changed_value_gives_the_deployment_a_new_config_map_and_so_new_pods(tmp_path):
    """A plain ConfigMap kept its name, so a changed value reached no running pod."""
    copy = tmp_path / "kubernetes"
    shutil.copytree(KUBERNETES, copy)
    overlay = copy / "overlays" / "production" / "kustomization.yaml"
    text = overlay.read_text()
    assert text.count("- DJANGO_SITE_URL=https://www.example.com") == 1
    overlay.write_text(text.replace("https://www.example.com", "https://feeds.example.org"))
    changed = subprocess.run(
        [kubectl(), "kustomize", copy / "overlays" / "production"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    documents = [d for d in yaml.safe_load_all(changed) if d]

    def config_map_of_web(docs):
        [web] = [d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "web"]
        [container] = web["spec"]["template"]["spec"]["containers"]
        return container["envFrom"][0]["configMapRef"]["name"]

    before, after = config_map_of_web(rendered("production")), config_map_of_web(documents)
    assert before.startswith("site-config-")
    assert after.startswith("site-config-")
    assert before != after
    [route] = [d for d in documents if d["kind"] == "HTTPRoute"]
    assert route["spec"]["hostnames"] == ["feeds.example.org"]


def test_sessions_survive_a_memcached_pod_moving_as_in_the_production_compose_file():
    """The database behind the sessions cluster, the same choice on both."""
    compose = yaml.safe_load((BASE_DIR / "docker-compose.production.yml").read_text())
    default = re.search(r":-([\w.]+)\}", compose["x-site"]["environment"]["DJANGO_SESSION_ENGINE"])[
        1
    ]
    assert default == "sessions_backend.backends.cached_db"
    for overlay in OVERLAYS:
        assert config(overlay)["DJANGO_SESSION_ENGINE"] == default, overlay


# SECURITY.md, third review, #4 and #9.


def test_no_trusted_range_ships_and_the_production_placeholder_fails_check_deploy(tmp_path):
    """Finding 4: the base trusted X-Forwarded-For from all of 10.0.0.0/8."""
    assert "DJANGO_TRUSTED_PROXIES" not in config("kind")
    placeholder = config("production")["DJANGO_TRUSTED_PROXIES"]
    secrets = {"DJANGO_SECRET_KEY": "k8s-test-" + "x" * 50, "METRICS_TOKEN": "t" * 32}
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        **config("production"),
        **secrets,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    def check_deploy(proxies):
        return subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--tag", "security"],
            cwd=BASE_DIR,
            env={**env, "DJANGO_TRUSTED_PROXIES": proxies},
            capture_output=True,
            text=True,
            check=False,
        )

    refused = check_deploy(placeholder)
    assert refused.returncode == 1
    # The only error: the Gateway's own addresses pass (tests/ops/test_checks.py).
    errors_part = refused.stderr.partition("WARNINGS:")[0]
    errors = re.findall(r"^\?: \((\S+)\)", errors_part, re.MULTILINE)
    assert errors == ["ops.E003"], refused.stderr
    assert "OPS_TRUSTED_PROXIES holds 192.0.2.0/24, a documentation network" in refused.stderr


def policies(overlay):
    return {policy["metadata"]["name"]: policy for policy in objects(overlay, "NetworkPolicy")}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_starts_closed_and_memcached_opens_no_connection(overlay):
    """Finding 9: no default deny, no egress rules."""
    deny = policies(overlay)["default-deny"]["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    for workload, _pod, labels in pod_templates(overlay):
        egress = [
            name
            for name, policy in policies(overlay).items()
            if "Egress" in policy["spec"]["policyTypes"]
            and policy["spec"].get("egress")
            and selects(policy["spec"]["podSelector"], labels)
        ]
        expected = (
            ["site-egress"] if labels["app.kubernetes.io/component"] in ("web", "migrate") else []
        )
        assert egress == expected, workload["metadata"]["name"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_site_connects_to_dns_memcached_the_database_and_the_public_internet_only(overlay):
    rules = policies(overlay)["site-egress"]["spec"]["egress"]
    ports = [sorted((port["protocol"], port["port"]) for port in rule["ports"]) for rule in rules]
    assert ports == [
        [("TCP", 53), ("UDP", 53)],
        [("TCP", 11211)],
        [("TCP", 5432)],
        [("TCP", 443), ("TCP", 465), ("TCP", 587)],
    ]
    dns, memcached, _database, internet = rules
    [kube_dns] = dns["to"]
    assert kube_dns["podSelector"] == {"matchLabels": {"k8s-app": "kube-dns"}}
    pods = {
        workload["metadata"]["name"]: labels for workload, _pod, labels in pod_templates(overlay)
    }
    [to] = memcached["to"]
    assert sorted(p for p, labels in pods.items() if selects(to["podSelector"], labels)) == [
        "memcached-objects",
        "memcached-sessions",
    ]
    # Public addresses only: not the cluster's networks, the API server, the metadata endpoint.
    blocks = {block["ipBlock"]["cidr"]: block["ipBlock"]["except"] for block in internet["to"]}
    assert "169.254.0.0/16" in blocks["0.0.0.0/0"]
    assert "10.0.0.0/8" in blocks["0.0.0.0/0"]
    assert "fc00::/7" in blocks["::/0"]


def test_the_web_pods_take_connections_from_the_gateway_and_prometheus_only():
    """Finding 4: the web policy admitted every source."""
    [rule] = policies("production")["web"]["spec"]["ingress"]
    sources = [
        (source["namespaceSelector"]["matchLabels"], source["podSelector"])
        for source in rule["from"]
    ]
    assert sources == [
        ({"kubernetes.io/metadata.name": "gateway"}, {}),
        (
            {"kubernetes.io/metadata.name": "monitoring"},
            {"matchLabels": {"app.kubernetes.io/name": "prometheus"}},
        ),
    ]
    route = one("production", "HTTPRoute", "web")
    assert {ref["namespace"] for ref in route["spec"]["parentRefs"]} == {"gateway"}
    # kind has no Gateway: its NodePort's connections come through the node.
    [open_rule] = policies("kind")["web"]["spec"]["ingress"]
    assert "from" not in open_rule
    assert open_rule["ports"] == [{"protocol": "TCP", "port": 8000}]


def test_the_route_attaches_to_the_gateways_https_listener_only():
    route = one("production", "HTTPRoute", "web")
    assert [ref["sectionName"] for ref in route["spec"]["parentRefs"]] == ["https"]


def test_production_images_are_pinned_by_digest_with_their_tag_in_a_comment():
    for workload, pod, _labels in pod_templates("production"):
        for container in containers(pod):
            assert "@sha256:" in container["image"], (workload["metadata"]["name"], container)
    text = (KUBERNETES / "overlays" / "production" / "kustomization.yaml").read_text()
    assert re.search(r"- name: refsite-web  # .*: 2026\.11\.30", text)
    assert re.search(r"- name: memcached  # memcached:1\.6\.25-bookworm", text)


def test_the_kind_namespace_enforces_the_restricted_profile_as_production_is_told_to():
    [namespace] = objects("kind", "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    production = (KUBERNETES / "overlays" / "production" / "kustomization.yaml").read_text()
    command = "kubectl label namespace refsite pod-security.kubernetes.io/enforce=restricted"
    assert command in production
    assert command in (BASE_DIR / "docs" / "kubernetes.md").read_text()


def test_kinds_database_mounts_its_own_password_only():
    pod = one("kind", "StatefulSet", "postgres")["spec"]["template"]["spec"]
    [secrets] = [volume["secret"] for volume in pod["volumes"] if "secret" in volume]
    assert secrets["items"] == [{"key": "postgres_password", "path": "postgres_password"}]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_metrics_answer_with_a_token_from_the_secret(overlay):
    web = one(overlay, "Deployment", "web")["spec"]["template"]["spec"]["containers"][0]
    variables = {variable["name"]: variable.get("value") for variable in web["env"]}
    assert variables["METRICS_TOKEN_FILE"] == "/secrets/metrics_token"
    assert "METRICS_TOKEN" not in config(overlay)
    if overlay == "kind":
        [secret] = objects("kind", "Secret")
        assert "metrics_token" in secret["data"]
        assert base64.b64decode(secret["data"]["secret_key"]).startswith(b"django-insecure-")
    else:
        steps = (KUBERNETES / "overlays" / "production" / "kustomization.yaml").read_text()
        assert "--from-literal=metrics_token=" in steps


def millicpus(quantity):
    return int(quantity[:-1]) if quantity.endswith("m") else int(float(quantity) * 1000)


#: What kind's control plane requests on its one node: kube-apiserver 250m,
#: kube-controller-manager 200m, kube-scheduler 100m, etcd 100m (kubeadm), CoreDNS 2 x 100m,
#: kindnet 100m (kind v0.31.0's kindnetd manifest).
KIND_CONTROL_PLANE_MILLICPUS = 950
#: The smallest GitHub runner the kind job may land on (private repositories: 2 vCPU).
KIND_NODE_MILLICPUS = 2000


def test_the_kind_overlay_fits_one_node_of_two_cpus_beside_the_control_plane():
    """2.6 CPUs were requested, so on a 2-vCPU runner web pods stayed Pending. Counted: every pod,
    the Job's, and one web pod more, the rolling update's surge (or the drill's replacement while
    the deleted pod terminates)."""
    requested = 0
    for workload, pod, _labels in pod_templates("kind"):
        # A pod asks the larger of its init containers' (one at a time) and its containers'.
        init = max((millicpus(c["resources"]["requests"]["cpu"])
                    for c in pod.get("initContainers", [])), default=0)  # fmt: skip
        main = sum(millicpus(c["resources"]["requests"]["cpu"]) for c in pod["containers"])
        pods = workload["spec"].get("replicas", 1)
        if workload["kind"] == "Deployment":
            pods += workload["spec"]["strategy"]["rollingUpdate"]["maxSurge"]
        requested += pods * max(init, main)
    assert requested + KIND_CONTROL_PLANE_MILLICPUS <= KIND_NODE_MILLICPUS, requested


def test_kinds_migrate_job_waits_for_postgresql_before_its_tries():
    """The Job's tries could run out while PostgreSQL made its first start."""
    job = one("kind", "Job", "migrate")["spec"]["template"]["spec"]
    [wait] = job["initContainers"]
    assert wait["image"] == job["containers"][0]["image"]  # loaded in the node already
    assert "psycopg.connect(open('/secrets/database_url')" in wait["command"][-1]
    assert wait["command"][-1].startswith("until ")
    assert {m["mountPath"] for m in wait["volumeMounts"]} == {"/secrets"}
    postgres = one("kind", "Service", "postgres")
    assert postgres["spec"]["clusterIP"] == "None"  # a StatefulSet's governing Service
    assert one("kind", "StatefulSet", "postgres")["spec"]["serviceName"] == "postgres"


KIND_TARGETS = ["kind-up", "kind-validate", "kind-drill", "kind-diagnose", "kind-down"]


def test_every_kubectl_call_of_the_kind_targets_names_the_kind_clusters_context():
    """With the current context, make kind-up could apply the kind overlay (its published passwords)
    to production's namespace."""
    result = subprocess.run(
        ["make", "-n", *KIND_TARGETS, "KIND_CLUSTER=drill"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = "\n".join(line for line in result.stdout.splitlines() if not line.startswith("#"))
    calls = re.findall(r"kubectl [^;|&\n]*", commands)  # not "for tool in ... kubectl;"
    assert len(calls) >= 15
    for call in calls:
        assert call.startswith("kubectl --context kind-drill "), call
    assert "KIND_CONTEXT=kind-drill python3 tests/smoke/kind_drill.py" in result.stdout
    # A second kind-up rolls the replicas onto the image it loaded, and the Job's wait ends at
    # Failed as at Complete.
    assert "rollout restart deployment/web" in result.stdout
    assert '*" Failed "*)' in result.stdout


def test_the_kind_job_runs_the_make_targets_on_a_pinned_cluster():
    """What the job runs is what make runs, on a kind, a node image and an action that change
    only with a commit here; CRDs waited for; diagnostics that go on past a failed section."""
    workflow = yaml.safe_load((BASE_DIR / ".github" / "workflows" / "ci.yml").read_text())
    steps = workflow["jobs"]["kind"]["steps"]
    [cluster] = [step for step in steps if step.get("uses", "").startswith("helm/kind-action@")]
    assert re.fullmatch(r"helm/kind-action@[0-9a-f]{40}", cluster["uses"])
    assert re.fullmatch(r"v\d+\.\d+\.\d+", cluster["with"]["version"])
    assert re.fullmatch(r"kindest/node:v[\d.]+@sha256:[0-9a-f]{64}", cluster["with"]["node_image"])
    assert cluster["with"]["cluster_name"] == "refsite"  # the Makefile's KIND_CLUSTER
    runs = [step["run"] for step in steps if "run" in step]
    assert runs == ["make kind-validate", "make kind-up", "make kind-drill", "make kind-diagnose"]
    [diagnose] = [step for step in steps if step.get("run") == "make kind-diagnose"]
    assert diagnose["if"] == "failure()"
    makefile = (BASE_DIR / "Makefile").read_text()
    # Every section of the diagnostics, even when one fails (make's "-" prefix).
    recipe = makefile.split("kind-diagnose:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    assert len(recipe) >= 5
    assert all(line.startswith("\t-$(KUBECTL_SITE) ") for line in recipe), recipe
    assert "apply --server-side" in makefile
    assert "--for=condition=Established" in makefile
