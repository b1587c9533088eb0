output "public_address" {
  description = "The VPS's reserved public IPv4 address: write it in inventory.yaml (vps.public-address); the homelab's WireGuard endpoint is this address at wireguard.port."
  value       = oci_core_public_ip.edge.ip_address
}

output "wireguard_endpoint" {
  description = "The endpoint the homelab's WireGuard peer dials."
  value       = "${oci_core_public_ip.edge.ip_address}:${local.wireguard.port}"
}

output "vault_address" {
  description = "Vault, on the tunnel only (External Secrets' vault-backend)."
  value       = "http://${local.wireguard["vps-address"]}:${local.vps["vault-port"]}"
}
