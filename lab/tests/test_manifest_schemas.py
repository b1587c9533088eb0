"""An independent check of every shipped manifest (kubernetes/ and flux/) against the Kubernetes
API schemas, apart from `homelab validate`'s own rules: a manifest can follow every pattern of the
architecture and still be refused by the API server (a misspelt field, a wrong type), and Flux
would then stop at it in the middle of a recovery.

Built-in kinds are validated by kubernetes-validate with the OpenAPI schemas of the Kubernetes
version Talos v1.13 runs (1.36), in strict mode: an unknown field is an error. The schemas ship
inside the package, so this runs offline.

Custom resources: every one must be an apiVersion/kind pair of the table below (what the pinned
charts serve), with metadata.name and a spec mapping. Flux (HelmRelease, HelmRepository,
Kustomization), cert-manager (ClusterIssuer) and the Prometheus Operator (ServiceMonitor) are also
validated against their CRD schemas, as the pydantic models cloudcoil generates from the CRDs
(PyPI, offline once installed); those models ignore unknown fields, so the check compares the
document with the model's own dump: a field the model dropped is unknown to the CRD. No package
here ships the External Secrets, Traefik or Cilium CRD schemas (PyPI has no cloudcoil models for
Cilium): their objects get the table check only.
"""
import os
import unittest

import kubernetes_validate
import yaml
from cloudcoil.models.cert_manager import v1 as cert_manager_v1
from cloudcoil.models.fluxcd.helm import v2 as flux_helm_v2
from cloudcoil.models.fluxcd.kustomize import v1 as flux_kustomize_v1
from cloudcoil.models.fluxcd.source import v1 as flux_source_v1
from cloudcoil.models.prometheus_operator import v1 as monitoring_v1

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# Talos v1.13 (inventory.yaml, talos.version) ships Kubernetes 1.36.
KUBERNETES_VERSION = "1.36.0"
GROUPS = ("monitoring", "security")  # kubernetes/base/<group>/<service> (the architecture's layout)

# The custom resources the shipped tree may use, by API group: (apiVersion, kind) pairs served by
# the pinned charts (Flux 2.x, cert-manager v1.19, External Secrets 0.20, Traefik v3, the
# Prometheus Operator of kube-prometheus-stack 77, Cilium 1.18).
CUSTOM_RESOURCES = {
    ("kustomize.toolkit.fluxcd.io/v1", "Kustomization"),
    ("helm.toolkit.fluxcd.io/v2", "HelmRelease"),
    ("source.toolkit.fluxcd.io/v1", "HelmRepository"),
    ("source.toolkit.fluxcd.io/v1", "GitRepository"),
    ("cert-manager.io/v1", "ClusterIssuer"),
    ("cert-manager.io/v1", "Issuer"),
    ("external-secrets.io/v1", "ExternalSecret"),
    ("external-secrets.io/v1", "ClusterSecretStore"),
    ("external-secrets.io/v1", "SecretStore"),
    ("traefik.io/v1alpha1", "IngressRoute"),
    ("traefik.io/v1alpha1", "Middleware"),
    ("traefik.io/v1alpha1", "TLSOption"),
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
    ("monitoring.coreos.com/v1", "PrometheusRule"),
    # Cilium 1.18 serves the LB IPAM pool as v2 (v2alpha1 is deprecated) and the L2 announcement
    # policy as v2alpha1 only.
    ("cilium.io/v2", "CiliumLoadBalancerIPPool"),
    ("cilium.io/v2alpha1", "CiliumL2AnnouncementPolicy"),
}
# The custom resources whose CRD schema is available (as a model generated from the CRD).
CRD_MODELS = {
    ("kustomize.toolkit.fluxcd.io/v1", "Kustomization"): flux_kustomize_v1.Kustomization,
    ("helm.toolkit.fluxcd.io/v2", "HelmRelease"): flux_helm_v2.HelmRelease,
    ("source.toolkit.fluxcd.io/v1", "HelmRepository"): flux_source_v1.HelmRepository,
    ("source.toolkit.fluxcd.io/v1", "GitRepository"): flux_source_v1.GitRepository,
    ("cert-manager.io/v1", "ClusterIssuer"): cert_manager_v1.ClusterIssuer,
    ("cert-manager.io/v1", "Issuer"): cert_manager_v1.Issuer,
    ("monitoring.coreos.com/v1", "ServiceMonitor"): monitoring_v1.ServiceMonitor,
    ("monitoring.coreos.com/v1", "PrometheusRule"): monitoring_v1.PrometheusRule,
}
# Free-form by their CRD (x-kubernetes-preserve-unknown-fields): a chart's values.
FREE_FORM = {("HelmRelease", ("spec", "values"))}
CUSTOM_GROUPS = {api.split("/")[0] for api, _ in CUSTOM_RESOURCES} | {"traefik.containo.us"}

# What the lab must hold (issue 14, architecture sections 4 and 7): a walk that misses one of
# these has skipped a directory.
REQUIRED_SERVICES = {
    "traefik", "traefik-crds", "wireguard-vpn", "nextcloud", "pihole", "immich", "jellyfin",
    "arr-sonarr", "arr-radarr", "arr-prowlarr", "external-dns", "cert-manager-issuers",
    "external-secrets-stores", "cilium", "cert-manager", "external-secrets", "zfs-csi",
    "kube-prometheus-stack", "ntfy", "cilium-config",
}


def yaml_files(*tops):
    """Every YAML file under the given top directories of the repository, sorted."""
    found = []
    for top in tops:
        for directory, subdirectories, files in os.walk(os.path.join(REPO, top)):
            subdirectories.sort()
            for name in sorted(files):
                if name.endswith((".yaml", ".yml")):
                    found.append(os.path.join(directory, name))
    return found


def documents(path):
    with open(path) as handle:
        return [document for document in yaml.safe_load_all(handle) if document is not None]


def services():
    """service name -> its directory, from the layout: kubernetes/base/<service> or
    kubernetes/base/<group>/<service>."""
    base = os.path.join(REPO, "kubernetes", "base")
    found = {}
    for name in sorted(os.listdir(base)):
        path = os.path.join(base, name)
        if not os.path.isdir(path):
            continue
        if name in GROUPS:
            for component in sorted(os.listdir(path)):
                if os.path.isdir(os.path.join(path, component)):
                    found[component] = os.path.join(path, component)
        else:
            found[name] = path
    return found


def check_object(document):
    """The problems of one object (empty when it is valid)."""
    if not isinstance(document, dict):
        return [f"not a mapping but {type(document).__name__}"]
    api_version, kind = document.get("apiVersion"), document.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return ["apiVersion and kind are required strings"]
    group = api_version.split("/")[0] if "/" in api_version else ""
    if group in CUSTOM_GROUPS:
        return check_custom(document, api_version, kind)
    try:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        where = ".".join(str(part) for part in error.path) or "(top)"
        return [f"{kind} {where}: {error.message}"]
    except kubernetes_validate.SchemaNotFoundError:
        return [f"{api_version} {kind}: no such built-in kind in Kubernetes {KUBERNETES_VERSION}"]
    return []


def check_custom(document, api_version, kind):
    problems = []
    if (api_version, kind) not in CUSTOM_RESOURCES:
        problems.append(f"{api_version} {kind}: not a custom resource the installed charts serve")
    metadata = document.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
        problems.append(f"{kind}: metadata.name is required")
    if not isinstance(document.get("spec"), dict):
        problems.append(f"{kind}: spec must be a mapping")
    unknown = set(document) - {"apiVersion", "kind", "metadata", "spec"}
    if unknown:
        problems.append(f"{kind}: unknown top-level fields {sorted(unknown)}")
    model = CRD_MODELS.get((api_version, kind))
    if model is not None and not problems:
        problems += check_against_crd(document, kind, model)
    return problems


def check_against_crd(document, kind, model):
    try:
        parsed = model.model_validate(document)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        return [f"{kind}: {line}" for line in str(error).splitlines()[1:] if line.strip()]
    dumped = parsed.model_dump(by_alias=True, exclude_unset=True, mode="json")
    return [f"{kind} {'.'.join(map(str, path))}: not a field of the CRD" for path in dropped(document, dumped, kind, ())]


def dropped(original, dumped, kind, path):
    """The paths of the fields of `original` that the model's dump no longer has."""
    if (kind, path) in FREE_FORM:
        return []
    if isinstance(original, dict):
        found = []
        for key, value in original.items():
            if not isinstance(dumped, dict) or key not in dumped:
                found.append(path + (key,))
            else:
                found += dropped(value, dumped[key], kind, path + (key,))
        return found
    if isinstance(original, list) and isinstance(dumped, list):
        return [p for index, (a, b) in enumerate(zip(original, dumped)) for p in dropped(a, b, kind, path + (index,))]
    return []


class ManifestSchemaTest(unittest.TestCase):
    def test_every_shipped_object_matches_its_schema(self):
        files = yaml_files("kubernetes", "flux")
        self.assertTrue(files, "no YAML found under kubernetes/ and flux/")
        problems = []
        for path in files:
            relative = os.path.relpath(path, REPO)
            try:
                objects = documents(path)
            except yaml.YAMLError as error:
                problems.append(f"{relative}: not YAML: {error}")
                continue
            if not objects:
                problems.append(f"{relative}: holds no object")
            for index, document in enumerate(objects):
                for problem in check_object(document):
                    problems.append(f"{relative}[{index}]: {problem}")
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_the_walk_reaches_every_service_and_every_flux_app(self):
        found = services()
        self.assertTrue(REQUIRED_SERVICES <= set(found), f"missing services: {sorted(REQUIRED_SERVICES - set(found))}")
        checked = {os.path.dirname(path) for path in yaml_files("kubernetes")}
        empty = sorted(name for name, path in found.items() if path not in checked)
        self.assertEqual(empty, [], "service directories without a YAML object the check saw")
        apps = {os.path.splitext(os.path.basename(path))[0] for path in yaml_files(os.path.join("flux", "apps"))}
        self.assertEqual(apps, set(found), "flux/apps and kubernetes/base name different services")

    def test_the_check_is_strict_and_offline(self):
        # A misspelt field in a built-in kind, found with the bundled schemas (no network here).
        with open(os.path.join(REPO, "kubernetes", "base", "immich", "deployment.yaml")) as handle:
            deployment = yaml.safe_load(handle)
        self.assertEqual(check_object(deployment), [])
        deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolcy"] = "IfNotPresent"
        problems = check_object(deployment)
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("imagePullPolcy", problems[0])
        # A kind the API does not have, and a custom resource of a version no chart serves.
        self.assertIn("no such built-in kind", check_object({"apiVersion": "v1", "kind": "Deploymnet",
                                                             "metadata": {"name": "x"}})[0])
        self.assertIn("not a custom resource", check_object({"apiVersion": "traefik.io/v1", "kind": "IngressRoute",
                                                             "metadata": {"name": "x"}, "spec": {}})[0])

    def test_custom_resources_with_a_crd_schema_are_checked_field_by_field(self):
        with open(os.path.join(REPO, "flux", "apps", "immich.yaml")) as handle:
            kustomization = yaml.safe_load(handle)
        self.assertEqual(check_object(kustomization), [])
        kustomization["spec"]["prun"] = True
        self.assertEqual(check_object(kustomization), ["Kustomization spec.prun: not a field of the CRD"])
        kustomization["spec"].pop("prun")
        kustomization["spec"]["interval"] = {"minutes": 10}
        problems = check_object(kustomization)
        self.assertTrue(problems and all("Kustomization" in problem for problem in problems), problems)
        # A chart's values are free-form: any key is accepted there.
        with open(os.path.join(REPO, "kubernetes", "base", "cilium", "helm-release.yaml")) as handle:
            release = yaml.safe_load(handle)
        release["spec"]["values"]["anything"] = {"goes": True}
        self.assertEqual(check_object(release), [])


if __name__ == "__main__":
    unittest.main()
