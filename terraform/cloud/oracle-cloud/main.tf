# The Oracle Cloud VPS (architecture 2.8): the lab's public edge. It runs Traefik (443, TLS passed
# through to the cluster over the tunnel), WireGuard (the tunnel to the homelab) and Vault
# (listening on the tunnel only). Every value comes from inventory.yaml (vps, wireguard,
# network); only the OCI credentials and two public keys are variables.

terraform {
  required_version = ">= 1.6.0"

  required_providers {
    oci = {
      source  = "oracle/oci"
      version = "6.34.0"
    }
  }
}

locals {
  inventory = yamldecode(file("${path.module}/../../../inventory.yaml"))

  vps       = local.inventory.vps
  wireguard = local.inventory.wireguard
  domain    = local.inventory.network.domain

  # The tunnel's prefix length, for the addresses on wg0 (a /24 tunnel -> 24).
  tunnel_prefix = split("/", local.wireguard.tunnel)[1]

  public_hosts = [for service in local.vps["public-services"] : "${service}.${local.domain}"]
}

provider "oci" {
  tenancy_ocid = var.tenancy_ocid
  user_ocid    = var.user_ocid
  fingerprint  = var.api_key_fingerprint
  private_key  = var.api_private_key
  region       = local.vps.region
}
