# The Proxmox VE side of the lab: the Talos VMs, the gaming VMs and the drill's isolated bridge.
# Every value comes from inventory.yaml at the repository root (the one source of truth, which
# homelab's runbooks read too); only credentials are variables. homelab rebuilds the same VMs
# from the same inventory during a recovery (proxmox.vm), so the two never disagree.

terraform {
  required_version = ">= 1.6.0"

  required_providers {
    proxmox = {
      source  = "bpg/proxmox"
      version = "0.81.0"
    }
  }
}

locals {
  inventory = yamldecode(file("${path.module}/../../inventory.yaml"))

  # The provider wants the API's base URL; the inventory has the JSON API's (as homelab uses it).
  proxmox_endpoint = trimsuffix(local.inventory.proxmox.api, "api2/json")
  node_name        = local.inventory.proxmox.node
  bridge           = local.inventory.proxmox.bridge
  vm_storage       = local.inventory.proxmox.storage.vm

  talos_nodes = { for node in local.inventory.talos.nodes : node.name => node }
  gaming_vms  = { for vm in local.inventory.gaming : vm.name => vm }
}

provider "proxmox" {
  endpoint  = local.proxmox_endpoint
  api_token = var.proxmox_api_token
  # The provider cannot pin proxmox.fingerprint the way homelab does, so it verifies the API
  # certificate against the system's trust store: give the host an ACME certificate, or add its
  # CA (/etc/pve/pve-root-ca.pem) to the machine that runs Terraform.
  insecure = false
}
